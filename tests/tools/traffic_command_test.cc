// `nocsim traffic`: one run writes JSON + CSV; --sweep-rates walks the load up to saturation and
// writes one CSV row per rate; user errors come back as exit code 2 naming the option or field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/file_text.h"
#include "tests/temp_dir.h"
#include "tools/command.h"
#include "tools/csv_table.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

const std::string kScenario = NOCSIM_SOURCE_DIR "/configs/traffic/mesh4x4_uniform.textproto";

fs::path fresh_dir(const std::string& name) {
  return nocsim::testing::fresh_temp_dir(name);
}

std::vector<std::string> read_lines(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

TEST(TrafficCommand, SingleRunPrintsSummaryAndWritesJsonAndCsv) {
  const auto dir = fresh_dir("traffic_cmd_single");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"traffic", kScenario, "--out", dir.string()}, out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("packet latency"), std::string::npos) << text;
  EXPECT_NE(text.find("avg hops"), std::string::npos) << text;
  EXPECT_NE(text.find("energy"), std::string::npos) << text;
  ASSERT_TRUE(fs::exists(dir / "mesh4x4_uniform.json"));
  const auto csv = read_lines(dir / "mesh4x4_uniform.csv");
  ASSERT_EQ(csv.size(), 2u);
  EXPECT_NE(csv[0].find("packet_latency"), std::string::npos) << csv[0];
}

// What a NoC-alone run cannot say is missing, not 0: pandas then reads NaN.
TEST(TrafficCommand, FieldsThatDoNotApplyAreEmptyInCsvAndAbsentInJson) {
  const auto dir = fresh_dir("traffic_cmd_empty");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"traffic", kScenario, "--out", dir.string()}, out, err), 0) << err.str();
  const CsvTable t = CsvTable::read((dir / "mesh4x4_uniform.csv").string());
  size_t accelerator_columns = 0;
  for (const std::string& c : t.columns())
    if (c.rfind("accelerator.", 0) == 0) {
      ++accelerator_columns;
      EXPECT_EQ(t.at(0, c), "") << c;
    }
  EXPECT_GT(accelerator_columns, 40u);
  EXPECT_EQ(t.at(0, "noc.saturated"), "0");
  EXPECT_EQ(t.at(0, "noc.saturation_reason"), "") << "not saturated";
  EXPECT_EQ(t.at(0, "noc.multicast_packets"), "") << "no multicast traffic";
  EXPECT_EQ(t.at(0, "noc.multicast_destination_latency.mean"), "");
  EXPECT_GT(t.number(0, "noc.packet_latency.mean").value_or(0), 0);
  const std::string json = nocsim::testing::slurp(dir / "mesh4x4_uniform.json");
  for (const char* absent : {"\"accelerator\"", "\"saturation_reason\"", "\"multicast_packets\"",
                             "\"multicast_destination_latency\""})
    EXPECT_EQ(json.find(absent), std::string::npos) << absent;
}

TEST(TrafficCommand, SweepWalksUpToSaturationAndWritesOneRowPerRate) {
  const auto dir = fresh_dir("traffic_cmd_sweep");
  std::ostringstream out, err;
  // 4x4 saturates near 0.55 flits/node/cycle: 0.2, 0.5 stable, 0.8 saturated, then the walk stops.
  ASSERT_EQ(run_cli({"traffic", kScenario, "--out", dir.string(), "--sweep-rates", "0.2:0.95:0.3"},
                    out, err),
            0)
      << err.str();
  const auto csv = read_lines(dir / "mesh4x4_uniform_sweep.csv");
  ASSERT_EQ(csv.size(), 4u) << out.str();  // header + 0.2, 0.5, 0.8
  const std::string text = out.str();
  EXPECT_NE(text.find("0.800"), std::string::npos) << text;
  EXPECT_NE(text.find("yes"), std::string::npos) << "last rate saturated: " << text;
}

TEST(TrafficCommand, UserErrorsExitWithCodeTwoAndNameTheProblem) {
  const auto dir = fresh_dir("traffic_cmd_errors");
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"traffic", kScenario, "--out", dir.string(), "--sweep-rates", "0.5:0.1:x"},
                    out, err),
            2);
  EXPECT_NE(err.str().find("--sweep-rates"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"traffic", kScenario, "--out", dir.string(), "--set", "noc.router.num_vcs=0"},
                    out2, err2),
            2);
  EXPECT_NE(err2.str().find("noc.router.num_vcs"), std::string::npos) << err2.str();
}

TEST(TrafficCommand, ARateSweepThatWouldNeverEndIsRefusedBeforeRunning) {
  const auto dir = fresh_dir("traffic_cmd_tiny_step");
  for (const std::string spec : {"0.01:0.3:1e-300", "0.01:0.3:0.0001", "0.01:0.3:nan"}) {
    std::ostringstream out, err;
    EXPECT_EQ(
        run_cli({"traffic", kScenario, "--out", dir.string(), "--sweep-rates", spec}, out, err), 2)
        << spec;
    EXPECT_NE(err.str().find("--sweep-rates"), std::string::npos) << err.str();
    EXPECT_EQ(out.str().find("rate    latency"), std::string::npos) << "ran: " << out.str();
  }
}

TEST(TrafficCommand, OutputNameCannotLeaveTheOutputFolder) {
  const auto dir = fresh_dir("traffic_cmd_name");
  for (const std::string name : {"../escaped", "/tmp/abs", "a/b", "..", "two\\nlines"}) {
    std::ostringstream out, err;
    EXPECT_EQ(run_cli({"traffic", kScenario, "--out", (dir / "out").string(), "--set",
                       "output.name=" + name},
                      out, err),
              2)
        << name;
    EXPECT_NE(err.str().find("output.name"), std::string::npos) << err.str();
  }
  EXPECT_FALSE(fs::exists(dir / "escaped.json"));
  EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace
}  // namespace nocsim::tools
