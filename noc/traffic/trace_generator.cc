#include "noc/traffic/trace_generator.h"

#include <memory>
#include <string>
#include <vector>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "noc/traffic/injection_process.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {

config::Trace generate_trace(const Topology& topology, const config::TrafficConfig& traffic,
                             uint64_t seed, uint64_t cycles) {
  const std::string pattern = traffic.pattern().empty() ? "uniform" : traffic.pattern();
  require(pattern != "trace", "traffic.pattern",
          "a trace is generated from a synthetic pattern, not from 'trace'");
  const InjectionProcess process(traffic);
  const auto dest = traffic_registry().create(pattern, "traffic.pattern", topology, traffic);
  const uint32_t n = topology.num_terminals();
  std::vector<Rng> rngs;
  std::vector<InjectionState> states;
  rngs.reserve(n);
  states.reserve(n);
  // Same order of draws as the synthetic run: initial states first, then per cycle per terminal.
  for (uint32_t t = 0; t < n; ++t) {
    rngs.push_back(Rng::derive(seed, t));
    states.push_back(process.initial_state(rngs.back()));
  }
  config::Trace trace;
  for (uint64_t c = 0; c < cycles; ++c) {
    for (uint32_t t = 0; t < n; ++t) {
      if (!process.packet_this_cycle(states[t], rngs[t])) continue;
      config::TraceRecord* r = trace.add_records();
      r->set_cycle(c);
      r->set_source(t);
      r->set_destination(dest->destination(t, rngs[t]));
      r->set_size_flits(process.packet_size());
    }
  }
  trace.set_record_count(static_cast<uint64_t>(trace.records_size()));
  return trace;
}

}  // namespace nocsim::noc
