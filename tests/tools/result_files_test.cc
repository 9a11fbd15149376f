#include "tools/result_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cmath>

#include "configs/schema/codec.pb.h"
#include "configs/schema/result.pb.h"
#include "configs/user_error.h"
#include "tools/csv_table.h"

#include "tests/file_text.h"
#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

using nocsim::testing::slurp;

TEST(ResultFiles, AtomicWriteReplacesAndLeavesNoTempFiles) {
  auto dir = nocsim::testing::fresh_temp_dir("result_files");
  const std::string path = (dir / "sub" / "r.json").string();
  write_file_atomic(path, "first");
  write_file_atomic(path, "second");
  EXPECT_EQ(slurp(path), "second");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir / "sub")) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(ResultFiles, UnwritableFolderIsAUserErrorAndKeepsNothingHalfWritten) {
  EXPECT_THROW(write_file_atomic("/proc/nocsim_cannot_write/x.csv", "x"), UserError);
}

TEST(ResultFiles, AppendWritesHeaderOnceThenRows) {
  auto path = (nocsim::testing::fresh_temp_dir("append") / "a.csv").string();
  append_atomic(path, "1,2\n", "a,b\n");
  append_atomic(path, "3,4\n", "a,b\n");
  EXPECT_EQ(slurp(path), "a,b\n1,2\n3,4\n");
}

TEST(ResultFiles, CsvFlattensNestedScalarsInSchemaOrder) {
  config::RunResult r;
  r.set_scenario("x,y");
  r.set_seed(7);
  r.mutable_noc()->mutable_packet_latency()->set_mean(12.5);
  const std::string header = csv_header(r);
  const std::string row = csv_row(r);
  EXPECT_EQ(header.rfind("scenario,seed,noc.injection_rate,noc.packet_latency.mean,", 0), 0u)
      << header;
  EXPECT_EQ(row.rfind("\"x,y\",7,0,12.5,", 0), 0u) << row;
  // Same number of columns in header and row.
  EXPECT_EQ(std::count(header.begin(), header.end(), ','),
            std::count(row.begin(), row.end(), ',') - 1);  // one comma is inside the quoted name
}

TEST(ResultFiles, JsonUsesProtoFieldNames) {
  config::RunResult r;
  r.mutable_noc()->set_accepted_flits_per_node_cycle(0.25);
  const std::string json = to_json(r, false);
  EXPECT_NE(json.find("\"accepted_flits_per_node_cycle\":0.25"), std::string::npos) << json;
}

// A traffic run: the NoC ran, the accelerator did not, and no network latency was measured.
config::RunResult traffic_result() {
  config::RunResult r;
  r.set_scenario("t");
  r.mutable_noc()->set_cycles(8563);
  r.mutable_noc()->set_flits_delivered(18446744073709551615ull);
  r.mutable_noc()->mutable_packet_latency()->set_mean(34.5);
  r.mutable_noc()->mutable_packet_latency()->set_count(0);
  auto* link = r.mutable_noc()->add_links();
  link->set_src(1);
  link->set_utilization(std::nan(""));
  return r;
}

TEST(ResultFiles, FieldsThatDoNotApplyAreEmptyInCsvNotZero) {
  const config::RunResult r = traffic_result();
  const CsvTable t = CsvTable::parse(csv_header(r) + csv_row(r));
  EXPECT_EQ(t.at(0, "noc.cycles"), "8563");
  EXPECT_EQ(t.at(0, "noc.packet_latency.count"), "0");  // measured: zero packets
  EXPECT_EQ(t.at(0, "noc.network_latency.mean"), "");   // not measured
  EXPECT_EQ(t.at(0, "accelerator.cycles"), "");
  EXPECT_EQ(t.at(0, "accelerator.energy.total_pj"), "");
  EXPECT_FALSE(t.number(0, "accelerator.accuracy").has_value());
  // The header does not depend on what was set.
  EXPECT_EQ(csv_header(r), csv_header(config::RunResult()));
}

TEST(ResultFiles, JsonCountersAreNumbersAndUnsetMessagesAbsent) {
  const config::RunResult r = traffic_result();
  for (bool pretty : {false, true}) {
    const std::string json = to_json(r, pretty);
    const std::string colon = pretty ? "\": " : "\":";
    EXPECT_NE(json.find("\"cycles" + colon + "8563"), std::string::npos) << json;
    EXPECT_NE(json.find("\"flits_delivered" + colon + "18446744073709551615"), std::string::npos)
        << json;
    EXPECT_EQ(json.find("\"accelerator\""), std::string::npos) << json;
    EXPECT_EQ(json.find("\"network_latency\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"utilization" + colon + "null"), std::string::npos) << json;
    // Valid JSON that reads back as the same result.
    config::RunResult back;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok()) << json;
    EXPECT_EQ(back.noc().flits_delivered(), r.noc().flits_delivered());
    EXPECT_EQ(back.noc().packet_latency().mean(), 34.5);
    EXPECT_FALSE(back.has_accelerator());
  }
}

TEST(ResultFiles, JsonStringsEscapeEveryControlCharacter) {
  EXPECT_EQ(json_string("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  config::CodecStage codec;  // a map field: an object keyed by strings
  (*codec.mutable_params())["bits"] = "4";
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(to_json(codec), &parsed).ok())
      << to_json(codec);
}

}  // namespace
}  // namespace nocsim::tools
