// Hotspot: a share traffic.hotspot.fraction of packets goes to one of the traffic.hotspot.nodes
// (chosen uniformly), the rest is uniform over all terminals (hot nodes included). BookSim's
// "hotspot" sends everything to the hot nodes; fraction 1 gives that, and the uniform remainder
// models the background traffic that memory-controller hotspots see in an accelerator.
#include <cmath>
#include <string>
#include <vector>

#include "configs/user_error.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {

class HotspotTraffic : public TrafficPattern {
 public:
  HotspotTraffic(const Topology& t, const config::TrafficConfig& cfg)
      : n_(t.num_terminals()),
        hot_(cfg.hotspot().nodes().begin(), cfg.hotspot().nodes().end()),
        fraction_(cfg.hotspot().fraction()) {
    require(!hot_.empty(), "traffic.hotspot.nodes", "pattern 'hotspot' needs at least one node");
    std::vector<bool> seen(n_, false);
    for (size_t i = 0; i < hot_.size(); ++i) {
      require(hot_[i] < n_, "traffic.hotspot.nodes",
              "node " + std::to_string(hot_[i]) + " (entry " + std::to_string(i) +
                  ") is not a terminal; the network has " + std::to_string(n_));
      require(!seen[hot_[i]], "traffic.hotspot.nodes",
              "node " + std::to_string(hot_[i]) + " is listed twice");
      seen[hot_[i]] = true;
    }
    require(fraction_ >= 0.0 && fraction_ <= 1.0, "traffic.hotspot.fraction",
            "must be in [0, 1], got " + std::to_string(fraction_));
  }

  uint32_t destination(uint32_t, Rng& rng) const override {
    if (rng.bernoulli(fraction_)) return hot_[rng.below(static_cast<uint32_t>(hot_.size()))];
    return rng.below(n_);
  }

 private:
  uint32_t n_;
  std::vector<uint32_t> hot_;
  double fraction_;
};

NOCSIM_REGISTER(traffic_registry(), HotspotTraffic, "hotspot",
                "traffic.hotspot.fraction of packets to a random hot node, the rest uniform");

}  // namespace nocsim::noc
