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

std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology);

}  // namespace nocsim::noc
