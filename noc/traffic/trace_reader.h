#pragma once
// Reads a binary nocsim.config.Trace file (see configs/schema/traffic.proto) for replay: records
// sorted by cycle, each checked against the topology. Errors name the file and the record index.
#include <cstdint>
#include <string>
#include <vector>

#include "configs/schema/traffic.pb.h"
#include "noc/network.h"
#include "noc/topology.h"

namespace nocsim::noc {

// Limits a trace record must respect: the network's own (noc/network.h).
inline constexpr uint32_t kMaxTracePacketFlits = kMaxPacketFlits;
inline constexpr uint32_t kMaxTraceTrafficClass = kMaxTrafficClasses - 1;

// Refuses (UserError on traffic.trace_file): an unreadable file, a folder or device, more bytes
// than protobuf allows, bytes that are not a Trace, a trace without records or whose record_count
// is missing or differs (truncated), and records with a source or destination outside `topology`,
// a bad size or class, or a cycle at or after `max_cycles` (the run would stop before it).
std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology,
                                            uint64_t max_cycles);

// The same checks on bytes already read; `path` names them in errors.
std::vector<config::TraceRecord> parse_trace(const std::string& bytes, const std::string& path,
                                             const Topology& topology, uint64_t max_cycles);

// One record (for tools and tests that build traces).
config::TraceRecord trace_record(uint64_t cycle, uint32_t source, uint32_t destination,
                                 uint32_t size_flits = 1, uint32_t traffic_class = 0);

// A trace as written by nocsim: the records and their count.
config::Trace make_trace(std::vector<config::TraceRecord> records);

}  // namespace nocsim::noc
