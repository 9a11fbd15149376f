#include "tools/sweep.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/results_lock.h"
#include "tools/scenario_runner.h"
#include "tools/sweep_rows.h"

#include "tests/file_text.h"
#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;
using nocsim::testing::slurp;

std::atomic<int> g_runs{0};

// A stand-in runner whose result is a pure function of the scenario, so that sweep mechanics
// (product, resume, ordering, sharding) are tested apart from the engines.
class EchoRunner : public ScenarioRunner {
 public:
  config::RunResult run(const LoadedScenario& sc) override {
    ++g_runs;
    if (sc.scenario.traffic().pattern() == "explode")
      throw UserError("traffic.pattern", "boom\non two lines");
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
};

constexpr const char* kAxes =
    "axes { field: \"traffic.injection_rate\" values: \"0.1\" values: \"0.2\" values: \"0.3\" }\n"
    "axes { name: \"vcs\" variants { label: \"two\" set: \"noc.router.num_vcs=2\" }\n"
    "       variants { label: \"four\" set: \"noc.router.num_vcs=4\" } }\n";

TEST_F(SweepFixture, RunsTheCartesianProductInPointOrder) {
  auto sweep = load_sweep(write_sweep(kAxes));
  ASSERT_EQ(sweep.count, 6u);
  EXPECT_EQ(sweep.point(1).id, "traffic.injection_rate=0.1|vcs=four");
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
  EXPECT_EQ(
      header.rfind("point_index,point,point_hash,status,error,traffic.injection_rate,vcs,scenario,"
                   "seed,",
                   0),
      0u);
  const std::string hash = point_hash(sweep, sweep.point(0));
  EXPECT_EQ(hash.size(), 16u);
  EXPECT_EQ(first.rfind(
                "0,traffic.injection_rate=0.1|vcs=two," + hash + ",ok,,0.1,two,base,0,0.1,22,", 0),
            0u)
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
  EXPECT_EQ(outcome.kept, 3u);
  EXPECT_EQ(outcome.ran, 3u);
  EXPECT_EQ(outcome.fresh, 3u);
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
  EXPECT_EQ(outcome.ran, 2u);
  EXPECT_EQ(outcome.failed, 1u);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].find("traffic.pattern=explode"), std::string::npos);
  EXPECT_NE(outcome.errors[0].find("boom"), std::string::npos);
  // The failure is a row with its status and message, and a resumed sweep tries it again.
  const CsvTable t = CsvTable::read(results_csv(sweep));
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.at(0, "status"), "ok");
  EXPECT_EQ(t.at(1, "status"), "failed");
  EXPECT_NE(t.at(1, "error").find("boom"), std::string::npos);
  EXPECT_EQ(t.at(1, "noc.injection_rate"), "");
  EXPECT_NE(slurp(results_jsonl(sweep)).find("\"status\":\"failed\",\"error\":"),
            std::string::npos);
  g_runs = 0;
  outcome = run_sweep(sweep, {});
  EXPECT_EQ(g_runs.load(), 1);
  EXPECT_EQ(outcome.kept, 1u);
  EXPECT_EQ(outcome.retried, 1u);
}

TEST_F(SweepFixture, BadAxesAreRejectedBeforeAnythingRuns) {
  g_runs = 0;
  EXPECT_THROW(load_sweep(write_sweep("axes { field: \"traffic.no_such_field\" values: \"1\" }\n")),
               UserError);
  EXPECT_THROW(load_sweep(write_sweep("axes { field: \"traffic.injection_rate\" }\n")), UserError);
  EXPECT_THROW(load_sweep(write_sweep("runner: \"nope\"\n")), UserError);
  EXPECT_EQ(g_runs.load(), 0);
}

TEST_F(SweepFixture, ABaseNameTheFileSystemRefusesIsNotFoundRatherThanACrash) {
  // A name longer than any file name (the fuzzer found one): std::filesystem::exists throws for
  // it, and the sweep must report the base as not found instead.
  const std::string name(300, 'b');
  std::ofstream(dir / "long.textproto") << "base: \"" << name << ".textproto\"\n";
  try {
    load_sweep((dir / "long.textproto").string());
    FAIL() << "a base that cannot exist was accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("not found"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("long.textproto:1: base"), std::string::npos) << e.what();
  }
}

TEST_F(SweepFixture, CommandLineRunsAndReportsWhereResultsAre) {
  const std::string path = write_sweep(kAxes);
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"sweep", path, "-j", "2"}, out, err), 0) << err.str();
  EXPECT_NE(
      out.str().find("ran 6 (6 new, 0 changed, 0 failed before), kept 0, dropped 0, failed 0"),
      std::string::npos)
      << out.str();
  out.str("");
  ASSERT_EQ(run_cli({"sweep", path}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("ran 0 (0 new, 0 changed, 0 failed before), kept 6, dropped 0"),
            std::string::npos)
      << out.str();
  out.str("");
  ASSERT_EQ(run_cli({"sweep", path, "--force"}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("ran 6 (0 new, 6 changed, 0 failed before), kept 0"), std::string::npos)
      << out.str();
}

// `sweep -j N` reports results that cannot be written exactly as `-j 1` does: same message, same
// exit code, no abort.
void expect_same_clean_error_for_any_jobs(const std::string& sweep_path,
                                          const std::vector<std::string>& extra,
                                          const std::string& expected) {
  std::string first_err;
  for (const char* jobs : {"1", "3"}) {
    std::vector<std::string> args{"sweep", sweep_path, "-j", jobs};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    EXPECT_EQ(run_cli(args, out, err), 2) << "-j " << jobs << ": " << err.str();
    EXPECT_NE(err.str().find(expected), std::string::npos) << "-j " << jobs << ": " << err.str();
    if (first_err.empty())
      first_err = err.str();
    else
      EXPECT_EQ(err.str(), first_err);
  }
}

TEST_F(SweepFixture, ResultsPathThatIsAFileIsACleanErrorWithAnyJobs) {
  std::ofstream(dir / "a_file") << "x";
  expect_same_clean_error_for_any_jobs(write_sweep(kAxes), {"--results", (dir / "a_file").string()},
                                       "a_file");
}

TEST_F(SweepFixture, AResultsFolderNameTooLongIsACleanErrorWithAnyJobs) {
  const fs::path folder = dir / std::string(300, 'd');
  expect_same_clean_error_for_any_jobs(write_sweep(kAxes), {"--results", folder.string()},
                                       "results folder cannot be created (File name too long)");
}

TEST_F(SweepFixture, UnwritableResultsFolderIsACleanErrorWithAnyJobs) {
  // Root may write anywhere but /proc; everyone else is kept out of a 0555 folder.
  fs::path folder = "/proc/self";
  if (::geteuid() != 0) {
    folder = dir / "read_only";
    fs::create_directories(folder);
    fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
  }
  expect_same_clean_error_for_any_jobs(write_sweep(kAxes), {"--results", folder.string()},
                                       "writable");
}

TEST_F(SweepFixture, FullDiskWhileRunningIsACleanErrorWithAnyJobs) {
  // A file size limit makes writes fail the way a full disk does, after the sweep has started:
  // the header fits, the first stored point does not.
  const std::string path = write_sweep(kAxes);
  const auto sweep = load_sweep(path);
  const std::string header = sweep_csv_header(sweep.axis_columns);
  ::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = header.size() + 8;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  expect_same_clean_error_for_any_jobs(path, {}, "write failed");
  ::setrlimit(RLIMIT_FSIZE, &old);
  g_runs = 0;
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"sweep", path, "-j", "2"}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("ran 6 (6 new"), std::string::npos) << out.str();
}

TEST_F(SweepFixture, ASecondSweepOnTheSameFolderSaysWhoHoldsIt) {
  const std::string path = write_sweep(kAxes);
  const auto sweep = load_sweep(path);
  {
    const ResultsLock held(results_lock(sweep));
    std::ostringstream out, err;
    EXPECT_EQ(run_cli({"sweep", path}, out, err), 2);
    EXPECT_NE(err.str().find("another sweep (pid " + std::to_string(::getpid()) + ","),
              std::string::npos)
        << err.str();
    EXPECT_FALSE(fs::exists(results_csv(sweep)));
  }
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"sweep", path}, out, err), 0) << err.str();
}

TEST_F(SweepFixture, LabelsWithQuotesAndCommasStayWellFormedAndResume) {
  const std::string path = write_sweep(
      "axes { name: \"odd, \\\"name\\\"\" variants { label: \"a,b\" set: \"noc.router.num_vcs=2\" "
      "}\n"
      "  variants { label: \"say \\\"hi\\\", \\\\ 'x'\" set: \"noc.router.num_vcs=4\" }\n"
      "  variants { label: \"boom\" set: \"traffic.pattern=explode\" } }\n");
  auto sweep = load_sweep(path);
  run_sweep(sweep, {});
  const CsvTable t = CsvTable::read(results_csv(sweep));
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.at(0, "odd, \"name\""), "a,b");
  EXPECT_EQ(t.at(1, "odd, \"name\""), "say \"hi\", \\ 'x'");
  // Every JSON line parses as JSON and holds the label as written.
  std::istringstream lines(slurp(results_jsonl(sweep)));
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    google::protobuf::Struct parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
    if (n == 1) {
      EXPECT_EQ(
          parsed.fields().at("axes").struct_value().fields().at("odd, \"name\"").string_value(),
          "say \"hi\", \\ 'x'");
    }
  }
  EXPECT_EQ(n, 3);
  g_runs = 0;
  const SweepOutcome again = run_sweep(sweep, {});
  EXPECT_EQ(again.kept, 2u);
  EXPECT_EQ(again.retried, 1u);
  EXPECT_EQ(g_runs.load(), 1);
}

TEST_F(SweepFixture, HugeSweepsAreRefusedUnlessTheLimitIsRaisedAndThenBuiltLazily) {
  std::string axes;
  for (const char* f : {"noc.router.num_vcs", "sim.seed", "traffic.packet_size"}) {
    std::string distinct;
    for (int v = 0; v < 100; ++v) distinct += " values: \"" + std::to_string(v + 1) + "\"";
    axes += "axes { field: \"" + std::string(f) + "\"" + distinct + " }\n";
  }
  const std::string path = write_sweep(axes);
  try {
    load_sweep(path);
    FAIL() << "a sweep of 10^6 points was accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("100 x 100 x 100"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--max-points"), std::string::npos) << e.what();
  }
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"sweep", path}, out, err), 2);
  EXPECT_NE(err.str().find("--max-points"), std::string::npos) << err.str();
  // Raised: the points exist only when asked for.
  const LoadedSweep big = load_sweep(path, {}, "", 2000000);
  EXPECT_EQ(big.count, 1000000u);
  EXPECT_EQ(big.point(999999).id, "noc.router.num_vcs=100|sim.seed=100|traffic.packet_size=100");
  // Axes whose product overflows 64 bits (1000^8) are refused, not wrapped round.
  std::string thousand;
  for (int v = 0; v < 1000; ++v) thousand += " values: \"" + std::to_string(v) + "\"";
  std::string wide;
  for (int a = 0; a < 8; ++a)
    wide += "axes { name: \"a" + std::to_string(a) + "\" field: \"sim.seed\"" + thousand + " }\n";
  EXPECT_THROW(load_sweep(write_sweep(wide), {}, "", ~size_t{0} - 1), UserError);
}

TEST_F(SweepFixture, RepeatedLabelsInAnAxisAreRejected) {
  EXPECT_THROW(load_sweep(write_sweep(
                   "axes { variants { label: \"bfp4\" set: \"noc.router.num_vcs=2\" }\n"
                   "       variants { label: \"bfp4\" set: \"noc.router.num_vcs=4\" } }\n")),
               UserError);
}

TEST_F(SweepFixture, ALabelWithANewlineIsRejectedNamingTheAxis) {
  try {
    load_sweep(write_sweep(
        "axes { variants { label: \"two\\nlines\" set: \"noc.router.num_vcs=2\" } }\n"));
    FAIL() << "accepted a label with a newline";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("axes[0]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("two\\nlines"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nocsim::tools
