#include "tools/result_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/schema/result.pb.h"
#include "configs/user_error.h"

#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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

}  // namespace
}  // namespace nocsim::tools
