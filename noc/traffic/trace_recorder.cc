#include "noc/traffic/trace_recorder.h"

#include "noc/traffic/trace_reader.h"

namespace nocsim::noc {

uint64_t TraceRecorder::flits() const {
  uint64_t n = 0;
  for (const Packet& p : packets_) n += p.size_flits;
  return n;
}

config::Trace TraceRecorder::trace() const {
  config::Trace trace;
  trace.set_format_version(kTraceFormatVersion);
  for (const std::string& k : kinds_) trace.add_kinds(k);
  trace.mutable_records()->Reserve(static_cast<int>(packets_.size()));
  for (const Packet& p : packets_) {
    uint32_t dest = p.dest;
    if (p.dests_count == 1) dest = dests_[p.dests_first];  // a one-terminal set is unicast
    if (p.dests_count >= 2) dest = 0;                      // multicast: `destinations` instead
    config::TraceRecord& r = *trace.add_records() =
        trace_record(p.cycle, p.source, dest, p.size_flits, p.traffic_class);
    r.set_kind(p.kind);
    if (p.dests_count >= 2)
      for (uint32_t i = 0; i < p.dests_count; ++i) r.add_destinations(dests_[p.dests_first + i]);
  }
  trace.set_record_count(packets_.size());
  return trace;
}

}  // namespace nocsim::noc
