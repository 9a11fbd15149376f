#include "noc/traffic/trace_reader.h"

#include <fstream>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "configs/user_error.h"

namespace nocsim::noc {
namespace {

std::string write_bytes(const std::string& name, const std::string& bytes) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string write_trace(const std::string& name, const std::vector<config::TraceRecord>& recs) {
  return write_bytes(name, make_trace(recs).SerializeAsString());
}

// The reason of the UserError read_trace throws (field checked), "" if it reads fine.
std::string read_error(const std::string& path, const Topology& topo) {
  try {
    read_trace(path, topo, 1'000'000);
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "traffic.trace_file");
    return e.reason();
  }
  return "";
}

TEST(TraceReader, SortsByCycleKeepingFileOrderWithinACycle) {
  const Topology t = Topology::mesh(4, 4);
  const std::string path =
      write_trace("sorted.trace", {trace_record(30, 1, 2), trace_record(10, 3, 4, 5, 2),
                                   trace_record(30, 0, 9), trace_record(10, 7, 8)});
  const auto recs = read_trace(path, t, 1'000'000);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].cycle(), 10u);
  EXPECT_EQ(recs[0].source(), 3u);
  EXPECT_EQ(recs[0].size_flits(), 5u);
  EXPECT_EQ(recs[0].traffic_class(), 2u);
  EXPECT_EQ(recs[1].source(), 7u);
  EXPECT_EQ(recs[2].source(), 1u);
  EXPECT_EQ(recs[3].source(), 0u);
}

TEST(TraceReader, MissingFileIsAUserErrorNamingIt) {
  const std::string path = ::testing::TempDir() + "no_such_dir/missing.trace";
  const std::string why = read_error(path, Topology::mesh(4, 4));
  EXPECT_NE(why.find("cannot open"), std::string::npos);
  EXPECT_NE(why.find(path), std::string::npos);
}

TEST(TraceReader, CorruptOrForeignFilesAreUserErrorsNamingTheFile) {
  const Topology t = Topology::mesh(4, 4);
  std::vector<config::TraceRecord> recs;
  for (int i = 0; i < 20; ++i) recs.push_back(trace_record(i, i % 16, (i * 7) % 16, 3));
  const std::string bytes = make_trace(recs).SerializeAsString();
  // Cut in the middle of a record.
  const std::string truncated = write_bytes("truncated.trace", bytes.substr(0, bytes.size() - 3));
  EXPECT_NE(read_error(truncated, t).find(truncated), std::string::npos);
  // A text file that happens to parse as unknown protobuf fields.
  const std::string text = write_bytes("text.trace", "hello world, not a trace\n");
  EXPECT_NE(read_error(text, t).find("not a valid binary"), std::string::npos);
  // Well-formed protobuf of another message: field 9 = 5 is not part of a Trace.
  const std::string foreign = write_bytes("foreign.trace", std::string("\x48\x05", 2));
  EXPECT_NE(read_error(foreign, t).find("fields a Trace does not have"), std::string::npos);
  // A wire-format error: a length prefix far past the end of the file.
  const std::string garbage = write_bytes("garbage.trace", std::string("\x0a\xff\xff\x03\x01", 5));
  EXPECT_NE(read_error(garbage, t).find("not a valid binary"), std::string::npos);
  const std::string empty = write_bytes("empty.trace", "");
  EXPECT_NE(read_error(empty, t).find("no trace records"), std::string::npos);
}

TEST(TraceReader, BadRecordsNameTheFileAndRecordIndex) {
  const Topology t = Topology::mesh(4, 4);
  struct Case {
    config::TraceRecord bad;
    const char* expect;
  };
  for (const Case& c :
       {Case{trace_record(5, 16, 0), "source 16"}, Case{trace_record(5, 0, 99), "destination 99"},
        Case{trace_record(5, 0, 1, 0), "size_flits"},
        Case{trace_record(5, 0, 1, 70000), "size_flits"},
        Case{trace_record(5, 0, 1, 1, 4000000000u), "traffic_class"}}) {
    const std::string path = write_trace("bad.trace", {trace_record(0, 1, 2), c.bad});
    const std::string why = read_error(path, t);
    EXPECT_NE(why.find(path + ": record 1 (cycle 5)"), std::string::npos) << why;
    EXPECT_NE(why.find(c.expect), std::string::npos) << why;
  }
}

TEST(TraceReader, TraceCutAtARecordBoundaryIsRefused) {
  // Used to load as a shorter trace: every prefix of whole records is a valid message.
  const Topology t = Topology::mesh(4, 4);
  std::vector<config::TraceRecord> recs;
  for (int i = 0; i < 10; ++i) recs.push_back(trace_record(i, 1, 2));
  const std::string bytes = make_trace(recs).SerializeAsString();
  config::Trace prefix;
  for (size_t whole = 1; whole <= recs.size(); ++whole) {
    *prefix.add_records() = recs[whole - 1];
    ASSERT_EQ(bytes.compare(0, prefix.ByteSizeLong(), prefix.SerializeAsString()), 0);
    const std::string path = write_bytes("cut.trace", bytes.substr(0, prefix.ByteSizeLong()));
    const std::string why = read_error(path, t);
    EXPECT_NE(why.find("record_count"), std::string::npos) << whole << ": " << why;
  }
  config::Trace lying = make_trace(recs);
  lying.set_record_count(11);
  EXPECT_NE(
      read_error(write_bytes("lying.trace", lying.SerializeAsString()), t).find("says it holds 11"),
      std::string::npos);
  EXPECT_EQ(read_error(write_bytes("whole.trace", bytes), t), "");
}

TEST(TraceReader, FolderAndDeviceAreRefusedBeforeReading) {
  const Topology t = Topology::mesh(4, 4);
  EXPECT_NE(read_error(::testing::TempDir(), t).find("is a folder"), std::string::npos);
  EXPECT_NE(read_error("/dev/zero", t).find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace nocsim::noc
