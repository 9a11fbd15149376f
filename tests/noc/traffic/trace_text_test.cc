// The text trace form: what it reads, what it refuses (naming the file, line and field), and that
// binary -> text -> binary gives back the same bytes.
#include <gtest/gtest.h>

#include <string>

#include "configs/user_error.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/trace_text.h"
#include "noc/traffic/trace_writer.h"

namespace nocsim::noc {
namespace {

const TraceLimits kMesh4{.terminals = 16, .max_cycles = 1'000'000};

config::Trace parse(const std::string& text, const TraceLimits& limits = kMesh4) {
  return parse_text_trace(text, "hand.txt", "traffic.trace_file", limits);
}

// The message of the UserError parse throws ("" if none); the field is checked.
std::string error_of(const std::string& text, const TraceLimits& limits = kMesh4) {
  try {
    parse(text, limits);
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "traffic.trace_file") << e.what();
    return e.what();
  }
  return "";
}

// A multicast trace with kinds, as `nocsim run --trace-out` writes one.
config::Trace multicast_trace() {
  config::Trace t = make_trace({trace_record(0, 0, 5, 9, 0), trace_record(12, 4, 0, 5, 1),
                                trace_record(12, 3, 3, 1, 1), trace_record(40, 5, 0, 2, 1)});
  t.add_kinds("weights");
  t.add_kinds("activations");
  t.add_kinds("output");
  for (uint32_t d : {1u, 2u, 15u}) t.mutable_records(1)->add_destinations(d);
  t.mutable_records(1)->set_kind(1);
  t.mutable_records(2)->set_kind(1);
  t.mutable_records(3)->set_kind(2);
  return t;
}

TEST(TextTrace, ReadsRecordsCommentsKindsAndMulticast) {
  const config::Trace t = parse(
      "nocsim-trace text 1\n"
      "# made by hand\n"
      "\n"
      "kinds weights activations   # two kinds\n"
      "0 0 5 9 0 weights\n"
      "12\t4\t1,2,15\t5\t1\tactivations\r\n"
      "end 2\n");
  ASSERT_EQ(t.records_size(), 2);
  EXPECT_EQ(t.record_count(), 2u);
  EXPECT_EQ(t.format_version(), kTraceFormatVersion);
  ASSERT_EQ(t.kinds_size(), 2);
  EXPECT_EQ(t.records(0).destination(), 5u);
  EXPECT_EQ(t.records(0).size_flits(), 9u);
  EXPECT_EQ(t.records(1).cycle(), 12u);
  EXPECT_EQ(t.records(1).destinations_size(), 3);
  EXPECT_EQ(t.records(1).destinations(2), 15u);
  EXPECT_EQ(t.records(1).traffic_class(), 1u);
  EXPECT_EQ(t.records(1).kind(), 1u);
}

TEST(TextTrace, BinaryToTextToBinaryIsByteIdentical) {
  const std::string binary =
      serialize_trace(multicast_trace(), TraceFormat::kBinary, "t.trace", "out");
  const config::Trace read = parse_trace_bytes(binary, "t.trace", "in");
  const std::string text = serialize_trace(read, TraceFormat::kText, "t.txt", "out");
  EXPECT_NE(text.find("12 4 1,2,15 5 1 activations\n"), std::string::npos) << text;
  const config::Trace back = parse_trace_bytes(text, "t.txt", "in");
  EXPECT_EQ(serialize_trace(back, TraceFormat::kBinary, "t.trace", "out"), binary);
  // And a trace without kinds (5 columns).
  const config::Trace plain = make_trace({trace_record(3, 1, 2, 4, 7), trace_record(3, 2, 1)});
  const std::string plain_bin = serialize_trace(plain, TraceFormat::kBinary, "p", "out");
  const std::string plain_text = serialize_trace(plain, TraceFormat::kText, "p", "out");
  EXPECT_EQ(plain_text.find("kinds"), std::string::npos) << plain_text;
  EXPECT_EQ(serialize_trace(parse(plain_text), TraceFormat::kBinary, "p", "out"), plain_bin);
}

TEST(TextTrace, BadLinesNameTheFileLineAndField) {
  const std::string head = "nocsim-trace text 1\n";
  struct Case {
    std::string text, part;
  };
  const Case cases[] = {
      {"0 0 1 1 0\nend 1\n", "hand.txt:1: the first line must be 'nocsim-trace text 1'"},
      {"nocsim-trace text 7\n0 0 1 1 0\nend 1\n", "hand.txt:1: text trace version 7"},
      {head + "5 0 1 1 0\n4 0 1 1 0\nend 2\n",
       "hand.txt:3: field 'cycle': 4 is before the previous record's 5"},
      {head + "0 0 16 1 0\nend 1\n",
       "hand.txt:2: destination 16 is not a terminal (network has 16)"},
      {head + "0 99 1 1 0\nend 1\n", "hand.txt:2: source 99 is not a terminal"},
      {head + "0 0 1,2,99 1 0\nend 1\n", "hand.txt:2: destination 99 is not a terminal"},
      {head + "0 0 1,1 1 0\nend 1\n", "multicast destination 1 is listed twice"},
      {head + "0 3 1,3 1 0\nend 1\n", "multicast destination 3 is the source itself"},
      {head + "0 0 1 0 0\nend 1\n", "hand.txt:2: size_flits must be between 1 and 65535, got 0"},
      {head + "0 0 1 65536 0\nend 1\n", "size_flits must be between 1 and 65535, got 65536"},
      {head + "0 0 1 4294967296 0\nend 1\n",
       "hand.txt:2: field 'flits': '4294967296' does not fit in 32 bits"},
      {head + "0 0 1 1 256\nend 1\n", "traffic_class must be at most 255"},
      {head + "18446744073709551616 0 1 1 0\nend 1\n",
       "field 'cycle': '18446744073709551616' does not fit in 64 bits"},
      {head + "18446744073709551615 0 1 1 0\nend 1\n", "at or after sim.max_cycles (1000000)"},
      {head + "-1 0 1 1 0\nend 1\n", "field 'cycle': expected a whole number, got '-1'"},
      {head + "0 0 1x 1 0\nend 1\n", "field 'destination': expected a whole number, got '1x'"},
      {head + "0 0 1, 1 0\nend 1\n", "field 'destination': expected a whole number, got ''"},
      {head + "0 0 1 1\nend 1\n", "hand.txt:2: expected 5 fields"},
      {head + "0 0 1 1 0 weights\nend 1\n", "a kind needs a 'kinds' line"},
      {head + "kinds w\n0 0 1 1 0 x\nend 1\n", "hand.txt:3: field 'kind': 'x' is not on the kinds"},
      {head + "kinds w w\n", "hand.txt:2: kind 'w' is listed twice"},
      {head + "kinds w 7up\n", "hand.txt:2: kind name '7up' must start with a letter or '_'"},
      {head + "0 0 1 1 0\nkinds w\nend 1\n", "hand.txt:3: the 'kinds' line must come before"},
      {head + "0 0 1 1 0\n", "no 'end 1' line after the last record (the file is truncated)"},
      {head + "0 0 1 1 0\n0 0 1 1", "hand.txt:3: expected 5 fields"},
      {head + "0 0 1 1 0\nend 2\n", "hand.txt:3: 'end' says 2 records but the file has 1"},
      {head + "end 0\n", "the trace holds no records"},
      {head + "0 0 1 1 0\nend 1\n1 0 1 1 0\n", "hand.txt:4: nothing may follow the 'end' line"},
      {"", "the file is empty"},
  };
  for (const Case& c : cases) {
    const std::string why = error_of(c.text);
    EXPECT_NE(why.find(c.part), std::string::npos) << "input:\n" << c.text << "\ngot: " << why;
  }
  // Without a topology, ids are free but cycles stay below the longest run.
  EXPECT_EQ(error_of(head + "0 0 4000000000 1 0\nend 1\n", {}), "");
  EXPECT_NE(error_of(head + "1000000000000 0 1 1 0\nend 1\n", {}).find("the longest run"),
            std::string::npos);
}

TEST(TextTrace, EveryTruncationOfAValidFileIsRefused) {
  const std::string text = trace_to_text(multicast_trace());
  for (size_t len = 0; len + 1 < text.size(); ++len) {
    // Cutting only the final newline leaves a complete file.
    EXPECT_NE(error_of(text.substr(0, len)), "") << "cut at " << len << ":\n"
                                                 << text.substr(0, len);
  }
  EXPECT_EQ(error_of(text), "");
}

TEST(TextTrace, ReplayReaderTellsTheFormsApartByContents) {
  const Topology mesh = Topology::mesh(4, 4);
  const std::string text = trace_to_text(multicast_trace());
  // Named .trace, still read as text; a multicast record stays one record (replayed as one
  // multicast packet).
  const auto records = parse_trace(text, "t.trace", mesh, 1'000'000);
  ASSERT_EQ(records.size(), 4u);
  ASSERT_EQ(records[1].destinations_size(), 3);
  EXPECT_EQ(records[1].destinations(0), 1u);
  EXPECT_EQ(records[1].destinations(2), 15u);
  EXPECT_EQ(records[1].source(), 4u);
  EXPECT_EQ(records[2].destination(), 3u);
  // A .txt file without the header gets the text reader's explanation.
  try {
    parse_trace("0 0 1 1 0\n", "t.txt", mesh, 1'000'000);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("t.txt:1: the first line must be"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace nocsim::noc
