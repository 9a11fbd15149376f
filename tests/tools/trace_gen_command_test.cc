// `nocsim trace-gen` then `nocsim traffic` with pattern "trace": a recorded trace replays through
// the CLI, and bad arguments are errors, not crashes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "configs/schema/traffic.pb.h"
#include "tools/command.h"

#include "tests/temp_dir.h"
#include "tests/tools/cli_test_util.h"

namespace nocsim::tools {
namespace {

const std::string kUniformScenario =
    std::string(NOCSIM_SOURCE_DIR) + "/configs/traffic/mesh4x4_uniform.textproto";

TEST(TraceGenCommand, WritesATraceThatNocsimTrafficReplays) {
  const std::string dir = ::testing::TempDir() + "trace_gen_cli";
  const std::string trace_path = dir + "/uniform.trace";
  std::string out, err;
  ASSERT_EQ(cli({"trace-gen", kUniformScenario, "--cycles", "1000", "--set",
                 "traffic.injection_rate=0.1", "--out", trace_path},
                &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("wrote "), std::string::npos) << out;
  config::Trace trace;
  std::ifstream in(trace_path, std::ios::binary);
  ASSERT_TRUE(trace.ParseFromIstream(&in));
  EXPECT_GT(trace.records_size(), 0);

  ASSERT_EQ(cli({"traffic", kUniformScenario, "--set", "traffic.pattern=trace", "--set",
                 "traffic.trace_file=" + trace_path, "--out", dir},
                &out, &err),
            0)
      << err;
  // Every recorded packet is measured.
  EXPECT_NE(out.find("(" + std::to_string(trace.records_size()) + " samples)"), std::string::npos)
      << out;
}

TEST(TraceGenCommand, ATraceNamedInAScenarioIsFoundNextToIt) {
  // The scenario and its trace sit together in a folder that is not the working directory.
  const std::filesystem::path dir = nocsim::testing::fresh_temp_dir("trace_next_to_scenario");
  std::string out, err;
  ASSERT_EQ(
      cli({"trace-gen", kUniformScenario, "--cycles", "500", "--out", (dir / "t.trace").string()},
          &out, &err),
      0)
      << err;
  std::ofstream(dir / "replay.textproto")
      << "noc { topology { kind: \"mesh\" k_x: 4 } }\n"
         "traffic { pattern: \"trace\" trace_file: \"t.trace\" }\n";
  ASSERT_NE(std::filesystem::current_path(), dir);
  EXPECT_EQ(
      cli({"traffic", (dir / "replay.textproto").string(), "--out", dir.string()}, &out, &err), 0)
      << err;
}

TEST(TraceGenCommand, BadArgumentsAreErrors) {
  const std::string out_file = ::testing::TempDir() + "never.trace";
  std::string err;
  EXPECT_EQ(cli({"trace-gen", kUniformScenario, "--out", out_file}, nullptr, &err), 2);
  EXPECT_NE(err.find("--cycles"), std::string::npos) << err;
  EXPECT_EQ(
      cli({"trace-gen", kUniformScenario, "--cycles", "-5", "--out", out_file}, nullptr, &err), 2);
  EXPECT_EQ(cli({"trace-gen", kUniformScenario, "--cycles", "10"}, nullptr, &err), 2);
  EXPECT_NE(err.find("--out"), std::string::npos) << err;
  EXPECT_EQ(cli({"trace-gen", kUniformScenario, "--cycles", "10", "--out", out_file, "--set",
                 "traffic.pattern=transpose", "--set", "noc.topology.k_y=2"},
                nullptr, &err),
            2);
  EXPECT_NE(err.find("traffic.pattern"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(out_file));
}

TEST(TraceGenCommand, ReplayOfAMissingOrCorruptTraceNamesTheFile) {
  std::string err;
  const std::string missing = ::testing::TempDir() + "no_such.trace";
  EXPECT_EQ(cli({"traffic", kUniformScenario, "--set", "traffic.pattern=trace", "--set",
                 "traffic.trace_file=" + missing, "--out", ::testing::TempDir()},
                nullptr, &err),
            2);
  EXPECT_NE(err.find(missing), std::string::npos) << err;
  const std::string corrupt = ::testing::TempDir() + "corrupt_cli.trace";
  std::ofstream(corrupt, std::ios::binary) << std::string("\x0a\x40\x08", 3);
  EXPECT_EQ(cli({"traffic", kUniformScenario, "--set", "traffic.pattern=trace", "--set",
                 "traffic.trace_file=" + corrupt, "--out", ::testing::TempDir()},
                nullptr, &err),
            2);
  EXPECT_NE(err.find(corrupt), std::string::npos) << err;
}

}  // namespace
}  // namespace nocsim::tools
