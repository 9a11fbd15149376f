#include "tools/sweep.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/command.h"
#include "tools/scenario_runner.h"

#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

std::atomic<int> g_runs{0};

// A stand-in runner whose result is a pure function of the scenario, so that sweep mechanics
// (product, resume, ordering, sharding) are tested apart from the engines.
class EchoRunner : public ScenarioRunner {
 public:
  config::RunResult run(const LoadedScenario& sc) override {
    ++g_runs;
    if (sc.scenario.traffic().pattern() == "explode") throw UserError("traffic.pattern", "boom");
    config::RunResult r;
    r.set_scenario(sc.scenario.name());
    r.set_seed(sc.scenario.sim().seed());
    r.mutable_noc()->set_injection_rate(sc.scenario.traffic().injection_rate());
    r.mutable_noc()->mutable_packet_latency()->set_mean(
        10.0 + 100.0 * sc.scenario.traffic().injection_rate() +
        sc.scenario.noc().router().num_vcs());
    r.mutable_noc()->set_wall_seconds(0.123 * g_runs);  // must not reach the files
    return r;
  }
};
NOCSIM_REGISTER(runner_registry(), EchoRunner, "echo_for_tests", "test runner");

struct SweepFixture : ::testing::Test {
  fs::path dir;
  void SetUp() override {
    dir = nocsim::testing::fresh_temp_dir("sweep");
    std::ofstream(dir / "base.textproto") << "name: \"base\"\ntraffic { pattern: \"uniform\" }\n";
  }
  std::string write_sweep(const std::string& body) {
    std::ofstream(dir / "s.textproto") << "base: \"base.textproto\"\nrunner: \"echo_for_tests\"\n"
                                       << "results: \"" << (dir / "out").string() << "\"\n"
                                       << body;
    return (dir / "s.textproto").string();
  }
  static std::string slurp(const std::string& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

constexpr const char* kAxes =
    "axes { field: \"traffic.injection_rate\" values: \"0.1\" values: \"0.2\" values: \"0.3\" }\n"
    "axes { name: \"vcs\" variants { label: \"two\" set: \"noc.router.num_vcs=2\" }\n"
    "       variants { label: \"four\" set: \"noc.router.num_vcs=4\" } }\n";

TEST_F(SweepFixture, RunsTheCartesianProductInPointOrder) {
  auto sweep = load_sweep(write_sweep(kAxes));
  ASSERT_EQ(sweep.points.size(), 6u);
  EXPECT_EQ(sweep.points[1].id, "traffic.injection_rate=0.1|vcs=four");
  SweepOptions opt;
  opt.jobs = 3;
  auto outcome = run_sweep(sweep, opt);
  EXPECT_EQ(outcome.ran, 6u);
  EXPECT_EQ(outcome.failed, 0u);
  const std::string csv = slurp(results_csv(sweep));
  std::istringstream lines(csv);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header.rfind("point_index,point,traffic.injection_rate,vcs,scenario,seed,", 0), 0u);
  EXPECT_EQ(first.rfind("0,traffic.injection_rate=0.1|vcs=two,0.1,two,base,0,0.1,22,", 0), 0u)
      << first;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  EXPECT_EQ(csv.find("0.123"), std::string::npos) << "wall-clock time leaked into results";
}

TEST_F(SweepFixture, ParallelAndSerialRunsGiveIdenticalFiles) {
  auto sweep = load_sweep(write_sweep(kAxes));
  SweepOptions serial;
  run_sweep(sweep, serial);
  const std::string a = slurp(results_csv(sweep)), aj = slurp(results_jsonl(sweep));
  fs::remove_all(dir / "out");
  SweepOptions parallel;
  parallel.jobs = 4;
  run_sweep(sweep, parallel);
  EXPECT_EQ(slurp(results_csv(sweep)), a);
  EXPECT_EQ(slurp(results_jsonl(sweep)), aj);
}

TEST_F(SweepFixture, ARestartSkipsFinishedPointsAndCompletesTheRest) {
  auto sweep = load_sweep(write_sweep(kAxes));
  run_sweep(sweep, {});
  const std::string complete = slurp(results_csv(sweep));
  // Simulate a sweep killed after three points: keep header + three rows.
  std::istringstream in(complete);
  std::string line, partial;
  for (int i = 0; i < 4 && std::getline(in, line); ++i) partial += line + "\n";
  std::ofstream(results_csv(sweep)) << partial;
  g_runs = 0;
  auto outcome = run_sweep(sweep, {});
  EXPECT_EQ(outcome.skipped, 3u);
  EXPECT_EQ(outcome.ran, 3u);
  EXPECT_EQ(g_runs.load(), 3);
  EXPECT_EQ(slurp(results_csv(sweep)), complete);
}

TEST_F(SweepFixture, ShardsMergeToTheSingleProcessResult) {
  auto sweep = load_sweep(write_sweep(kAxes));
  run_sweep(sweep, {});
  const std::string single = slurp(results_csv(sweep));
  const std::string single_json = slurp(results_jsonl(sweep));
  fs::remove_all(dir / "out");
  SweepOptions s0, s1;
  s0.shard_count = s1.shard_count = 2;
  s1.shard_index = 1;
  run_sweep(sweep, s0);
  EXPECT_THROW(merge_sweep_parts(sweep, 2), UserError);  // shard 1 not finished yet
  run_sweep(sweep, s1);
  merge_sweep_parts(sweep, 2);
  EXPECT_EQ(slurp(results_csv(sweep)), single);
  EXPECT_EQ(slurp(results_jsonl(sweep)), single_json);
}

TEST_F(SweepFixture, AFailingPointIsReportedAndTheOthersStillRun) {
  auto sweep = load_sweep(
      write_sweep("axes { field: \"traffic.pattern\" values: \"uniform\" values: \"explode\" }\n"));
  auto outcome = run_sweep(sweep, {});
  EXPECT_EQ(outcome.ran, 1u);
  EXPECT_EQ(outcome.failed, 1u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].find("traffic.pattern=explode"), std::string::npos);
  EXPECT_NE(outcome.errors[0].find("boom"), std::string::npos);
}

TEST_F(SweepFixture, BadAxesAreRejectedBeforeAnythingRuns) {
  g_runs = 0;
  EXPECT_THROW(load_sweep(write_sweep("axes { field: \"traffic.no_such_field\" values: \"1\" }\n")),
               UserError);
  EXPECT_THROW(load_sweep(write_sweep("axes { field: \"traffic.injection_rate\" }\n")), UserError);
  EXPECT_THROW(load_sweep(write_sweep("runner: \"nope\"\n")), UserError);
  EXPECT_EQ(g_runs.load(), 0);
}

TEST_F(SweepFixture, CommandLineRunsAndReportsWhereResultsAre) {
  const std::string path = write_sweep(kAxes);
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"sweep", path, "-j", "2"}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("ran 6, skipped 0"), std::string::npos) << out.str();
  out.str("");
  ASSERT_EQ(run_cli({"sweep", path}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("ran 0, skipped 6"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace nocsim::tools
