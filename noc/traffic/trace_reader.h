#pragma once
// Reads trace files (configs/schema/traffic.proto's nocsim.config.Trace, binary or the text form of
// trace_text.h) for replay and conversion. A file is text when it starts with the text header
// ("nocsim-trace"; no binary Trace can start with those bytes), binary otherwise. Every error is a
// UserError on the caller's field naming the file and the record (binary: its index; text: its
// line) and the reason.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "configs/schema/traffic.pb.h"
#include "noc/network.h"
#include "noc/sim_params.h"
#include "noc/topology.h"

namespace nocsim::noc {

// Limits a trace record must respect: the network's own (noc/network.h).
inline constexpr uint32_t kMaxTracePacketFlits = kMaxPacketFlits;
inline constexpr uint32_t kMaxTraceTrafficClass = kMaxTrafficClasses - 1;
// The newest binary format this reader knows (Trace.format_version; absent means 1).
inline constexpr uint32_t kTraceFormatVersion = 2;

// What a record is checked against besides the format's own limits. Without a topology any
// terminal id is accepted; cycles are always below kMaxSimCycles (so replay clocks cannot wrap).
struct TraceLimits {
  uint32_t terminals = std::numeric_limits<uint32_t>::max();
  uint64_t max_cycles = kMaxSimCycles;  // a record's cycle must be below it
};

// Why `r` is not a valid record of a trace with `kinds` kind names under `limits`; "" if it is.
std::string trace_record_problem(const config::TraceRecord& r, const TraceLimits& limits,
                                 int kinds);

// Why `name` cannot name a kind ("" if it can): a kind starts with a letter or '_' and holds only
// letters, digits, '_', '.' and '-' (so that the text form can hold it).
std::string trace_kind_name_problem(const std::string& name);

// Loads and checks a whole file (either form) in file order. Refuses (UserError on `field`): an
// unreadable file, a folder or device, more bytes than protobuf allows, bytes that are neither
// form, a trace without records, a binary trace whose record_count is missing or differs
// (truncated) or whose format_version is newer than kTraceFormatVersion, and any record that
// trace_record_problem refuses.
config::Trace load_trace(const std::string& path, const std::string& field,
                         const TraceLimits& limits = {});
// The same on bytes already read; `path` names them in errors.
config::Trace parse_trace_bytes(const std::string& bytes, const std::string& path,
                                const std::string& field, const TraceLimits& limits = {});

// For replay (noc/simulation.cc, field traffic.trace_file): the file's records checked against
// `topology` and a cycle below `max_cycles` (the run would stop before it), sorted by cycle
// (stable: packets of one cycle keep their file order). Multicast records stay whole: the replay
// injects them as multicast packets (unicast copies when longer than noc.multicast's limit).
std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology,
                                            uint64_t max_cycles);
std::vector<config::TraceRecord> parse_trace(const std::string& bytes, const std::string& path,
                                             const Topology& topology, uint64_t max_cycles);

// One record (for tools and tests that build traces).
config::TraceRecord trace_record(uint64_t cycle, uint32_t source, uint32_t destination,
                                 uint32_t size_flits = 1, uint32_t traffic_class = 0);

// A trace as written by nocsim: the records, their count and the format version.
config::Trace make_trace(std::vector<config::TraceRecord> records);

}  // namespace nocsim::noc
