// "trace" is listed in the traffic registry so that it appears among the valid pattern names, but a
// trace is not a per-packet destination rule: the simulation reads traffic.trace_file and replays
// it (noc/simulation.cc). Creating it as a pattern is therefore an error that says so.
#include "configs/user_error.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {

class TracePattern : public TrafficPattern {
 public:
  TracePattern(const Topology&, const config::TrafficConfig&) {
    throw UserError("traffic.pattern",
                    "'trace' replays traffic.trace_file as a whole and has no per-packet "
                    "destination rule; use it as the scenario's pattern, not here");
  }
  uint32_t destination(uint32_t source, Rng&) const override { return source; }
};

NOCSIM_REGISTER(traffic_registry(), TracePattern, "trace",
                "replay traffic.trace_file (a trace file, binary or text)");

}  // namespace nocsim::noc
