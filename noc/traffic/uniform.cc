// Uniform random traffic as BookSim defines it: every packet's destination is drawn uniformly over
// all terminals, the source itself included (so 1/N of packets never enter the network).
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {

class UniformTraffic : public TrafficPattern {
 public:
  UniformTraffic(const Topology& t, const config::TrafficConfig&) : n_(t.num_terminals()) {}
  uint32_t destination(uint32_t, Rng& rng) const override { return rng.below(n_); }

 private:
  uint32_t n_;
};

NOCSIM_REGISTER(traffic_registry(), UniformTraffic, "uniform",
                "destination uniform over all terminals, source included (BookSim)");

}  // namespace nocsim::noc
