#include "noc/traffic/trace_reader.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "configs/input_file.h"
#include "configs/user_error.h"
#include "noc/traffic/trace_text.h"

namespace nocsim::noc {

std::string trace_record_problem(const config::TraceRecord& r, const TraceLimits& limits,
                                 int kinds) {
  const uint32_t n = limits.terminals;
  const auto terminal = [&](const char* what, uint32_t id) -> std::string {
    if (id < n) return "";
    return std::string(what) + " " + std::to_string(id) + " is not a terminal (network has " +
           std::to_string(n) + ")";
  };
  if (std::string p = terminal("source", r.source()); !p.empty()) return p;
  if (r.destinations_size() == 0) {
    if (std::string p = terminal("destination", r.destination()); !p.empty()) return p;
  } else {
    if (r.destinations_size() < 2)
      return "a multicast record needs two destinations or more (one is a unicast packet)";
    if (r.destination() != 0)
      return "a multicast record's unicast destination must be unset, got " +
             std::to_string(r.destination());
    std::vector<uint32_t> seen(r.destinations().begin(), r.destinations().end());
    for (uint32_t d : seen) {
      if (std::string p = terminal("destination", d); !p.empty()) return p;
      if (d == r.source())
        return "multicast destination " + std::to_string(d) + " is the source itself";
    }
    std::sort(seen.begin(), seen.end());
    if (auto dup = std::adjacent_find(seen.begin(), seen.end()); dup != seen.end())
      return "multicast destination " + std::to_string(*dup) + " is listed twice";
  }
  if (r.size_flits() < 1 || r.size_flits() > kMaxTracePacketFlits)
    return "size_flits must be between 1 and " + std::to_string(kMaxTracePacketFlits) + ", got " +
           std::to_string(r.size_flits());
  if (r.traffic_class() > kMaxTraceTrafficClass)
    return "traffic_class must be at most " + std::to_string(kMaxTraceTrafficClass) + ", got " +
           std::to_string(r.traffic_class());
  if (kinds == 0 ? r.kind() != 0 : r.kind() >= static_cast<uint32_t>(kinds))
    return "kind " + std::to_string(r.kind()) + " is not one of the trace's " +
           std::to_string(kinds) + " kinds";
  if (r.cycle() >= limits.max_cycles) {
    return limits.max_cycles == kMaxSimCycles
               ? "the cycle is at or after " + std::to_string(kMaxSimCycles) +
                     ", the longest run nocsim simulates"
               : "the cycle is at or after sim.max_cycles (" + std::to_string(limits.max_cycles) +
                     "), so the run would stop before injecting it";
  }
  return "";
}

std::string trace_kind_name_problem(const std::string& name) {
  const auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  const auto other = [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
  };
  if (!name.empty() && letter(name[0]) && std::all_of(name.begin(), name.end(), other)) return "";
  std::string shown = name.substr(0, 40);
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return "kind name '" + shown + (name.size() > 40 ? "...'" : "'") +
         " must start with a letter or '_' and hold only letters, digits, '_', '.' and '-'";
}

namespace {

config::Trace parse_binary(const std::string& bytes, const std::string& path,
                           const std::string& field, const TraceLimits& limits) {
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
  if (trace.format_version() > kTraceFormatVersion)
    throw UserError(field, "'" + path + "' is trace format version " +
                               std::to_string(trace.format_version()) + "; this nocsim reads " +
                               "versions up to " + std::to_string(kTraceFormatVersion) +
                               " (written by a newer nocsim?)");
  if (trace.records().empty()) throw UserError(field, "'" + path + "' holds no trace records");
  if (!trace.has_record_count())
    throw UserError(
        field, "'" + path + "' has no record_count (truncated, or not written by " + "nocsim)");
  if (trace.record_count() != static_cast<uint64_t>(trace.records_size()))
    throw UserError(field, "'" + path + "' says it holds " + std::to_string(trace.record_count()) +
                               " records but has " + std::to_string(trace.records_size()) +
                               " (truncated or corrupt)");
  const bool v1 = trace.format_version() <= 1;
  if (v1 && trace.kinds_size() > 0)
    throw UserError(field, "'" + path + "' has kinds, which need format_version 2");
  std::set<std::string_view> kinds;
  for (int k = 0; k < trace.kinds_size(); ++k) {
    if (std::string p = trace_kind_name_problem(trace.kinds(k)); !p.empty())
      throw UserError(field, path + ": kind " + std::to_string(k) + ": " + p);
    if (!kinds.insert(trace.kinds(k)).second)
      throw UserError(field, path + ": kind '" + trace.kinds(k) + "' is listed twice");
  }
  for (int i = 0; i < trace.records_size(); ++i) {
    const config::TraceRecord& r = trace.records(i);
    std::string problem = trace_record_problem(r, limits, trace.kinds_size());
    if (problem.empty() && v1 && r.destinations_size() > 0)
      problem = "multicast destinations need format_version 2";
    if (!problem.empty())
      throw UserError(field, path + ": record " + std::to_string(i) + " (cycle " +
                                 std::to_string(r.cycle()) + "): " + problem);
  }
  return trace;
}

std::vector<config::TraceRecord> for_replay(const config::Trace& trace) {
  // Multicast records stay whole: the replay injects them as multicast packets (or as unicast
  // copies where the network cannot carry them as one), as the run that recorded them did.
  std::vector<config::TraceRecord> records(trace.records().begin(), trace.records().end());
  // Stable: packets recorded in the same cycle keep their file order.
  std::stable_sort(records.begin(), records.end(),
                   [](const config::TraceRecord& a, const config::TraceRecord& b) {
                     return a.cycle() < b.cycle();
                   });
  return records;
}

}  // namespace

config::Trace parse_trace_bytes(const std::string& bytes, const std::string& path,
                                const std::string& field, const TraceLimits& limits) {
  // A .txt file that lacks the header is still meant as text: the text reader says what is wrong.
  if (std::string_view(bytes).starts_with(kTextTraceMagic) || path.ends_with(".txt"))
    return parse_text_trace(bytes, path, field, limits);
  return parse_binary(bytes, path, field, limits);
}

config::Trace load_trace(const std::string& path, const std::string& field,
                         const TraceLimits& limits) {
  return parse_trace_bytes(read_input_file(path, field, "trace file", kMaxProtobufBytes), path,
                           field, limits);
}

std::vector<config::TraceRecord> read_trace(const std::string& path, const Topology& topology,
                                            uint64_t max_cycles) {
  return for_replay(load_trace(path, "traffic.trace_file",
                               {.terminals = topology.num_terminals(), .max_cycles = max_cycles}));
}

std::vector<config::TraceRecord> parse_trace(const std::string& bytes, const std::string& path,
                                             const Topology& topology, uint64_t max_cycles) {
  return for_replay(
      parse_trace_bytes(bytes, path, "traffic.trace_file",
                        {.terminals = topology.num_terminals(), .max_cycles = max_cycles}));
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
  trace.set_format_version(kTraceFormatVersion);
  trace.set_record_count(records.size());
  trace.mutable_records()->Reserve(static_cast<int>(records.size()));
  for (auto& r : records) *trace.add_records() = std::move(r);
  return trace;
}

}  // namespace nocsim::noc
