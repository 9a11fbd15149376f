#include "noc/traffic/trace_reader.h"

#include <algorithm>
#include <fstream>

#include "configs/user_error.h"

namespace nocsim::noc {

std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology) {
  const std::string field = "traffic.trace_file";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(field, "cannot open trace file '" + path + "'");
  config::Trace trace;
  if (!trace.ParseFromIstream(&in)) {
    throw UserError(field, "'" + path + "' is not a valid binary nocsim.config.Trace (corrupt or " +
                               "truncated protobuf)");
  }
  const uint32_t n = topology.num_terminals();
  std::vector<config::TraceRecord> records(trace.records().begin(), trace.records().end());
  for (size_t i = 0; i < records.size(); ++i) {
    const config::TraceRecord& r = records[i];
    auto bad = [&](const std::string& what) {
      return UserError(field, path + ": record " + std::to_string(i) + " (cycle " +
                                  std::to_string(r.cycle()) + "): " + what);
    };
    if (r.source() >= n) {
      throw bad("source " + std::to_string(r.source()) + " is not a terminal (network has " +
                std::to_string(n) + ")");
    }
    if (r.destination() >= n) {
      throw bad("destination " + std::to_string(r.destination()) +
                " is not a terminal (network has " + std::to_string(n) + ")");
    }
    if (r.size_flits() < 1) throw bad("size_flits must be at least 1");
  }
  // Stable: packets recorded in the same cycle keep their file order.
  std::stable_sort(records.begin(), records.end(),
                   [](const config::TraceRecord& a, const config::TraceRecord& b) {
                     return a.cycle() < b.cycle();
                   });
  return records;
}

}  // namespace nocsim::noc
