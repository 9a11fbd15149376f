// Safe resume: a sweep edited between runs reruns exactly the points whose resolved scenario,
// input files or version changed, drops rows of points that left it, and ends with the files a
// fresh run of the edited sweep writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/file_text.h"
#include "tests/temp_dir.h"
#include "tools/csv_table.h"
#include "tools/scenario_runner.h"
#include "tools/sweep.h"
#include "tools/sweep_tables.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

std::atomic<int> g_resume_runs{0};

class CountingRunner : public ScenarioRunner {
 public:
  config::RunResult run(const LoadedScenario& sc) override {
    ++g_resume_runs;
    config::RunResult r;
    r.set_scenario(sc.scenario.name());
    r.mutable_noc()->set_injection_rate(sc.scenario.traffic().injection_rate());
    r.mutable_noc()->mutable_packet_latency()->set_mean(sc.scenario.noc().router().num_vcs());
    for (uint32_t l = 0; l < 2; ++l) {
      auto* link = r.mutable_noc()->add_links();
      link->set_src(l);
      link->set_dst(l + 1);
      link->set_utilization(0.5 * l);
    }
    r.mutable_accelerator()->add_layers()->set_name("fc1");
    return r;
  }
};
NOCSIM_REGISTER(runner_registry(), CountingRunner, "counting_for_tests", "test runner");

using nocsim::testing::slurp;

struct ResumeFixture : ::testing::Test {
  fs::path dir;
  std::string base_extra;
  void SetUp() override { dir = nocsim::testing::fresh_temp_dir("sweep_resume"); }
  LoadedSweep sweep(const std::string& axes, const std::string& results = "out") {
    std::ofstream(dir / "base.textproto") << "name: \"base\"\ntraffic { pattern: \"uniform\" }\n"
                                          << base_extra;
    std::ofstream(dir / "s.textproto")
        << "base: \"base.textproto\"\nrunner: \"counting_for_tests\"\n"
        << "results: \"" << (dir / results).string() << "\"\n"
        << axes;
    return load_sweep((dir / "s.textproto").string());
  }
  SweepOutcome run(const LoadedSweep& s, int jobs = 2) {
    g_resume_runs = 0;
    SweepOptions opt;
    opt.jobs = jobs;
    return run_sweep(s, opt);
  }
};

std::string rate_axis(const std::string& values) {
  return "axes { field: \"traffic.injection_rate\" " + values + " }\n";
}
const std::string kVcs =
    "axes { name: \"vcs\" variants { label: \"two\" set: \"noc.router.num_vcs=2\" }\n"
    "       variants { label: \"four\" set: \"noc.router.num_vcs=4\" } }\n";

TEST_F(ResumeFixture, EditingAnAxisValueRerunsExactlyTheChangedPoints) {
  run(sweep(rate_axis("values: \"0.1\" values: \"0.2\" values: \"0.3\"") + kVcs));
  const auto edited = sweep(rate_axis("values: \"0.1\" values: \"0.2\" values: \"0.4\"") + kVcs);
  const SweepOutcome o = run(edited);
  EXPECT_EQ(g_resume_runs.load(), 2);
  EXPECT_EQ(o.fresh, 2u);
  EXPECT_EQ(o.kept, 4u);
  EXPECT_EQ(o.dropped, 2u);
  const std::string csv = slurp(results_csv(edited));
  EXPECT_EQ(csv.find("injection_rate=0.3"), std::string::npos) << csv;
  // Identical to a fresh run of the edited sweep.
  const auto fresh =
      sweep(rate_axis("values: \"0.1\" values: \"0.2\" values: \"0.4\"") + kVcs, "fresh");
  run(fresh);
  EXPECT_EQ(slurp(results_csv(fresh)), csv);
  EXPECT_EQ(slurp(results_jsonl(fresh)), slurp(results_jsonl(edited)));
}

TEST_F(ResumeFixture, AVariantInsertedMidListRunsOnceAndNoRowAppearsTwice) {
  const std::string rates = rate_axis("values: \"0.1\" values: \"0.2\"");
  run(sweep(rates + kVcs));
  const std::string three =
      "axes { name: \"vcs\" variants { label: \"two\" set: \"noc.router.num_vcs=2\" }\n"
      "       variants { label: \"three\" set: \"noc.router.num_vcs=3\" }\n"
      "       variants { label: \"four\" set: \"noc.router.num_vcs=4\" } }\n";
  const auto edited = sweep(rates + three);
  const SweepOutcome o = run(edited);
  EXPECT_EQ(g_resume_runs.load(), 2);
  EXPECT_EQ(o.fresh, 2u);
  EXPECT_EQ(o.kept, 4u);
  const CsvTable t = CsvTable::read(results_csv(edited));
  ASSERT_EQ(t.rows(), 6u);
  std::set<std::string> ids;
  for (size_t r = 0; r < t.rows(); ++r) {
    EXPECT_TRUE(ids.insert(t.at(r, "point")).second) << t.at(r, "point");
    EXPECT_EQ(t.at(r, "point"), edited.point(r).id);
    EXPECT_EQ(t.at(r, "point_index"), std::to_string(r));
  }
  // "three" rows hold three VCs' result, not a shifted neighbour's.
  EXPECT_EQ(t.at(1, "vcs"), "three");
  EXPECT_EQ(t.number(1, "noc.packet_latency.mean").value(), 3);
  const auto fresh = sweep(rates + three, "fresh");
  run(fresh);
  EXPECT_EQ(slurp(results_csv(fresh)), slurp(results_csv(edited)));
  EXPECT_EQ(slurp(results_jsonl(fresh)), slurp(results_jsonl(edited)));
}

TEST_F(ResumeFixture, ChangedInputFileContentsRerunEveryPointThatReadsThem) {
  fs::copy_file(NOCSIM_SOURCE_DIR "/configs/tech/45nm.textproto", dir / "my_tech.textproto");
  std::ofstream(dir / "weights.bin") << "first";
  base_extra = "tech_preset: \"" + (dir / "my_tech.textproto").string() +
               "\"\nmodel { file: \"weights.bin\" }\n";
  const std::string axes = rate_axis("values: \"0.1\" values: \"0.2\"");
  run(sweep(axes));
  EXPECT_EQ(run(sweep(axes)).kept, 2u);
  // A tech preset edited in place: same path, same scenario text, other contents.
  std::ofstream(dir / "my_tech.textproto", std::ios::app) << "\n# a comment changes the file\n";
  SweepOutcome o = run(sweep(axes));
  EXPECT_EQ(o.changed, 2u);
  EXPECT_EQ(g_resume_runs.load(), 2);
  std::ofstream(dir / "weights.bin") << "second";
  o = run(sweep(axes));
  EXPECT_EQ(o.changed, 2u);
  // A variant whose overrides change under the same label reruns its points.
  const std::string one = rate_axis("values: \"0.1\" values: \"0.2\"") +
                          "axes { name: \"x\" variants { label: \"a\" set: \"sim.seed=1\" } }\n";
  run(sweep(one, "out2"));
  const std::string other = rate_axis("values: \"0.1\" values: \"0.2\"") +
                            "axes { name: \"x\" variants { label: \"a\" set: \"sim.seed=2\" } }\n";
  o = run(sweep(other, "out2"));
  EXPECT_EQ(o.changed, 2u);
  EXPECT_EQ(o.kept, 0u);
}

TEST_F(ResumeFixture, LayersAndLinksGetTablesOfTheirOwnWithTheAxisColumns) {
  const auto s = sweep(rate_axis("values: \"0.1\" values: \"0.2\"") + kVcs);
  run(s);
  const CsvTable layers = CsvTable::read(layers_csv(s));
  ASSERT_EQ(layers.rows(), 4u);
  EXPECT_EQ(layers.columns()[0], "point_index");
  EXPECT_EQ(layers.at(3, "point"), s.point(3).id);
  EXPECT_EQ(layers.at(3, "vcs"), "four");
  EXPECT_EQ(layers.at(3, "traffic.injection_rate"), "0.2");
  EXPECT_EQ(layers.at(3, "name"), "fc1");
  const CsvTable links = CsvTable::read(links_csv(s));
  ASSERT_EQ(links.rows(), 8u);
  EXPECT_EQ(links.at(5, "point_index"), "2");
  EXPECT_EQ(links.at(5, "src"), "1");
  EXPECT_EQ(links.number(5, "utilization").value(), 0.5);
}

TEST_F(ResumeFixture, FilesFromAnotherSweepAreRefusedUnlessForced) {
  const auto s = sweep(kVcs);
  fs::create_directories(dir / "out");
  // From an older nocsim (no point hashes): nothing can be matched, all rerun, files replaced.
  std::ofstream(results_csv(s)) << "point_index,point,vcs,scenario\n0,vcs=two,two,b\n";
  SweepOutcome o = run(s);
  EXPECT_TRUE(o.replaced_old_files);
  EXPECT_EQ(o.fresh, 2u);
  // Another sweep's (other axes): refused.
  std::ofstream(results_csv(s)) << "point_index,point,point_hash,status,error,other\n";
  EXPECT_THROW(run(s), UserError);
  SweepOptions opt;
  opt.force = true;
  EXPECT_EQ(run_sweep(s, opt).ran, 2u);
}

}  // namespace
}  // namespace nocsim::tools
