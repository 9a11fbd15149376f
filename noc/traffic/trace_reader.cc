#include "noc/traffic/trace_reader.h"

#include <algorithm>

#include "configs/input_file.h"
#include "configs/user_error.h"

namespace nocsim::noc {

std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology,
                                            uint64_t max_cycles) {
  return parse_trace(read_input_file(path, "traffic.trace_file", "trace file", kMaxProtobufBytes),
                     path, topology, max_cycles);
}

std::vector<config::TraceRecord> parse_trace(const std::string& bytes, const std::string& path,
                                             const Topology& topology, uint64_t max_cycles) {
  const std::string field = "traffic.trace_file";
  config::Trace trace;
  const std::string not_a_trace = "'" + path + "' is not a valid binary nocsim.config.Trace";
  if (!trace.ParseFromString(bytes)) {
    throw UserError(field, not_a_trace + " (corrupt or truncated protobuf)");
  }
  // Arbitrary bytes often parse as a message made only of unknown fields; a trace written by
  // nocsim has none at the top level, so any there means the file is something else.
  if (!trace.GetReflection()->GetUnknownFields(trace).empty()) {
    throw UserError(field, not_a_trace + " (it holds fields a Trace does not have)");
  }
  if (trace.records().empty()) throw UserError(field, "'" + path + "' holds no trace records");
  if (!trace.has_record_count())
    throw UserError(field, "'" + path + "' has no record_count (truncated, or not written by " +
                               "nocsim trace-gen)");
  if (trace.record_count() != static_cast<uint64_t>(trace.records_size()))
    throw UserError(field, "'" + path + "' says it holds " + std::to_string(trace.record_count()) +
                               " records but has " + std::to_string(trace.records_size()) +
                               " (truncated or corrupt)");
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
    if (r.size_flits() < 1 || r.size_flits() > kMaxTracePacketFlits) {
      throw bad("size_flits must be between 1 and " + std::to_string(kMaxTracePacketFlits) +
                ", got " + std::to_string(r.size_flits()));
    }
    if (r.cycle() >= max_cycles) {
      throw bad("the cycle is at or after sim.max_cycles (" + std::to_string(max_cycles) +
                "), so the run would stop before injecting it");
    }
    if (r.traffic_class() > kMaxTraceTrafficClass) {
      throw bad("traffic_class must be at most " + std::to_string(kMaxTraceTrafficClass) +
                ", got " + std::to_string(r.traffic_class()));
    }
  }
  // Stable: packets recorded in the same cycle keep their file order.
  std::stable_sort(records.begin(), records.end(),
                   [](const config::TraceRecord& a, const config::TraceRecord& b) {
                     return a.cycle() < b.cycle();
                   });
  return records;
}

config::TraceRecord trace_record(uint64_t cycle, uint32_t source, uint32_t destination,
                                 uint32_t size_flits, uint32_t traffic_class) {
  config::TraceRecord r;
  r.set_cycle(cycle);
  r.set_source(source);
  r.set_destination(destination);
  r.set_size_flits(size_flits);
  r.set_traffic_class(traffic_class);
  return r;
}

config::Trace make_trace(std::vector<config::TraceRecord> records) {
  config::Trace trace;
  trace.set_record_count(records.size());
  trace.mutable_records()->Reserve(static_cast<int>(records.size()));
  for (auto& r : records) *trace.add_records() = std::move(r);
  return trace;
}

}  // namespace nocsim::noc
