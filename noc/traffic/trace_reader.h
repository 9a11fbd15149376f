#pragma once
// Reads a binary nocsim.config.Trace file (see configs/schema/traffic.proto) for replay: records
// sorted by cycle, each checked against the topology. Errors name the file and the record index.
#include <cstdint>
#include <string>
#include <vector>

#include "configs/schema/traffic.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

// Limits a trace record must respect: the network stores a packet's length in 16 bits and keeps
// one counter per traffic class, so both stay small.
inline constexpr uint32_t kMaxTracePacketFlits = 65535;
inline constexpr uint32_t kMaxTraceTrafficClass = 255;

std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology);

}  // namespace nocsim::noc
