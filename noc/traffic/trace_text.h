#pragma once
// The text form of a trace: one packet a line, for hand-made workloads, diffs and other tools.
//
//   nocsim-trace text 1          <- first line: the format and its version
//   # '#' starts a comment (a whole line or the rest of one)
//   kinds weights activations    <- optional, before the records: names of what packets carry
//   # cycle source destination[,destination...] flits class [kind]
//   0 0 5 9 0 weights
//   12 4 1,2,3 5 1 activations   <- several destinations: one multicast packet
//   end 2                        <- last line: the number of records (a cut file lacks it)
//
// Fields are separated by spaces or tabs. `class` is the traffic class the network counts the
// packet in (0-255); `kind` names one of the `kinds` and is present exactly when that line is.
// Records are in cycle order (non-decreasing). A binary trace written by nocsim converts to text
// and back byte for byte.
#include <string>
#include <string_view>

#include "configs/schema/traffic.pb.h"
#include "noc/traffic/trace_reader.h"

namespace nocsim::noc {

// What a text trace starts with (and a binary one cannot).
inline constexpr std::string_view kTextTraceMagic = "nocsim-trace";
inline constexpr int kTextTraceVersion = 1;

// Parses and checks a text trace. UserError on `field` naming `path`, the line, the column and
// the reason for: a missing or other header or version, a malformed or misplaced kinds line, a
// line with too few or too many fields, a number that is not a whole number or does not fit (32
// bits for ids, sizes and classes, 64 for cycles), a cycle before the previous record's, an
// unknown kind, a record that trace_record_problem refuses under `limits`, and a missing or
// wrong `end` line (truncated file). The result has format_version kTraceFormatVersion.
config::Trace parse_text_trace(std::string_view text, const std::string& path,
                               const std::string& field, const TraceLimits& limits = {});

// The text form of a checked trace (records in its order; callers sort unsorted binary traces).
std::string trace_to_text(const config::Trace& trace);

}  // namespace nocsim::noc
