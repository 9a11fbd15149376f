// Trace writers: the binary form is refused when cut anywhere, BookSim's form on a small hand-made
// trace, and the format names and extensions.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "configs/user_error.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/trace_text.h"
#include "noc/traffic/trace_writer.h"
#include "tests/expect_user_error.h"

namespace nocsim::noc {
namespace {

config::Trace hand_made() {
  // Three packets: a weight packet, a multicast activation packet to three tiles, an output.
  return parse_text_trace(
      "nocsim-trace text 1\n"
      "kinds weights activations output\n"
      "0 0 5 9 0 weights\n"
      "12 4 1,2,15 5 1 activations\n"
      "40 5 0 2 1 output\n"
      "end 3\n",
      "hand.txt", "in");
}

TEST(BooksimTrace, OneLinePerDestinationOfTimeSourceDestinationSize) {
  EXPECT_EQ(serialize_trace(hand_made(), TraceFormat::kBooksim, "hand.txt", "in"),
            "0 0 5 9\n"
            "12 4 1 5\n"
            "12 4 2 5\n"
            "12 4 15 5\n"
            "40 5 0 2\n");
}

TEST(BooksimTrace, CyclesBeyondItsIntAreRefused) {
  config::Trace t = make_trace({trace_record(5, 0, 1), trace_record(uint64_t{1} << 31, 0, 1)});
  nocsim::testing::expect_user_error(
      [&] { serialize_trace(t, TraceFormat::kBooksim, "big.trace", "in"); }, "in",
      "big.trace: record 1 is at cycle 2147483648, which BookSim's trace reader cannot hold");
}

TEST(BinaryTrace, IsProtobufsOwnEncodingWithTheCountLast) {
  const config::Trace t = hand_made();
  config::Trace head, body;
  head.set_format_version(kTraceFormatVersion);
  *head.mutable_kinds() = t.kinds();
  *body.mutable_records() = t.records();
  body.set_record_count(3);
  EXPECT_EQ(serialize_trace(t, TraceFormat::kBinary, "t", "out"),
            head.SerializeAsString() + body.SerializeAsString());
}

TEST(BinaryTrace, CutAnywhereIsRefused) {
  const std::string bytes = serialize_trace(hand_made(), TraceFormat::kBinary, "t", "out");
  EXPECT_NO_THROW(parse_trace_bytes(bytes, "t.trace", "in"));
  for (size_t len = 0; len < bytes.size(); ++len)
    EXPECT_THROW(parse_trace_bytes(bytes.substr(0, len), "t.trace", "in"), UserError) << len;
}

TEST(BinaryTrace, ANewerFormatVersionIsRefusedByName) {
  config::Trace t = make_trace({trace_record(0, 0, 1)});
  t.set_format_version(kTraceFormatVersion + 1);
  nocsim::testing::expect_user_error(
      [&] { parse_trace_bytes(t.SerializeAsString(), "new.trace", "in"); }, "in",
      "'new.trace' is trace format version 3; this nocsim reads");
  // Version 1 (or none) has no multicast or kinds.
  config::Trace old = make_trace({trace_record(0, 0, 0)});
  old.clear_format_version();
  old.mutable_records(0)->add_destinations(1);
  old.mutable_records(0)->add_destinations(2);
  nocsim::testing::expect_user_error(
      [&] { parse_trace_bytes(old.SerializeAsString(), "old.trace", "in"); }, "in",
      "record 0 (cycle 0): multicast destinations need format_version 2");
}

TEST(BinaryTrace, KindsTheTextFormCannotHoldAreRefused) {
  // Else binary -> text -> binary would not give the same trace back.
  for (const auto& [kinds, part] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"two words"}, "bad.trace: kind 0: kind name 'two words' must start with a letter"},
           {{"ok", "7up"}, "bad.trace: kind 1: kind name '7up'"},
           {{""}, "kind name ''"},
           {{"a", "b", "a"}, "bad.trace: kind 'a' is listed twice"}}) {
    config::Trace t = make_trace({trace_record(0, 0, 1)});
    for (const std::string& k : kinds) t.add_kinds(k);
    nocsim::testing::expect_user_error(
        [&] { parse_trace_bytes(t.SerializeAsString(), "bad.trace", "in"); }, "in", part);
  }
}

TEST(TraceFormat, ChosenByNameOrExtension) {
  EXPECT_EQ(trace_format_for("a.txt"), TraceFormat::kText);
  EXPECT_EQ(trace_format_for("a.booksim"), TraceFormat::kBooksim);
  EXPECT_EQ(trace_format_for("a.trace"), TraceFormat::kBinary);
  EXPECT_EQ(parse_trace_format("text", "--to"), TraceFormat::kText);
  nocsim::testing::expect_user_error([] { parse_trace_format("netrace", "--to"); }, "--to",
                                     "unknown trace format 'netrace' (binary, text or booksim)");
}

}  // namespace
}  // namespace nocsim::noc
