#pragma once
// Reads a binary nocsim.config.Trace file (see configs/schema/traffic.proto) for replay: records
// sorted by cycle, each checked against the topology. Errors name the file and the record index.
#include <string>
#include <vector>

#include "configs/schema/traffic.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology);

}  // namespace nocsim::noc
