#include "noc/traffic/multicast_destinations.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "configs/user_error.h"

namespace nocsim::noc {

MulticastDestinations::MulticastDestinations(const Topology& topo,
                                             const config::MulticastTrafficConfig& cfg)
    : topo_(topo), fraction_(cfg.fraction()) {
  require(std::isfinite(fraction_) && fraction_ >= 0 && fraction_ <= 1,
          "traffic.multicast.fraction", "must be between 0 and 1");
  const std::string& p = cfg.pattern();
  if (p.empty() || p == "random") {
    pattern_ = Pattern::kRandom;
  } else if (p == "row") {
    pattern_ = Pattern::kRow;
  } else if (p == "column") {
    pattern_ = Pattern::kColumn;
  } else if (p == "broadcast") {
    pattern_ = Pattern::kBroadcast;
  } else {
    throw UserError("traffic.multicast.pattern",
                    "unknown pattern '" + p + "'; valid names: broadcast, column, random, row");
  }
  const bool grid = topo.grid() != nullptr;
  require(grid || pattern_ == Pattern::kRandom || pattern_ == Pattern::kBroadcast,
          "traffic.multicast.pattern", "'" + p + "' needs a mesh or torus");
  if (cfg.has_destinations()) k_ = cfg.destinations();
  // The count is the random pattern's, and checked where it is used or set: with no multicast
  // (fraction 0) the default of 8 must not refuse a network of fewer terminals.
  const uint32_t others = topo.num_terminals() - 1;
  if (pattern_ == Pattern::kRandom && (fraction_ > 0 || cfg.has_destinations())) {
    require(k_ >= 2 && k_ <= others, "traffic.multicast.destinations",
            "must be between 2 and the number of other terminals (" + std::to_string(others) +
                "), got " + std::to_string(k_));
  }
}

bool MulticastDestinations::draw(uint32_t source, Rng& rng, std::vector<uint32_t>& out) const {
  if (!rng.bernoulli(fraction_)) return false;
  out.clear();
  const uint32_t n = topo_.num_terminals();
  const RouterId home = topo_.terminal_router(source);
  const Grid* g = topo_.grid();  // row and column: of routers (a cmesh tile shares its router's)
  for (uint32_t t = 0; t < n && pattern_ != Pattern::kRandom; ++t) {
    if (t == source) continue;
    const RouterId r = topo_.terminal_router(t);
    if (pattern_ == Pattern::kBroadcast || (pattern_ == Pattern::kRow && g->y(r) == g->y(home)) ||
        (pattern_ == Pattern::kColumn && g->x(r) == g->x(home)))
      out.push_back(t);
  }
  if (pattern_ == Pattern::kRandom) {
    // Floyd's sampling of k distinct terminals among the n - 1 others.
    for (uint32_t j = n - 1 - k_; j < n - 1; ++j) {
      uint32_t pick = rng.below(j + 1);
      if (std::find(out.begin(), out.end(), pick >= source ? pick + 1 : pick) != out.end())
        pick = j;
      out.push_back(pick >= source ? pick + 1 : pick);
    }
  }
  // A row or column of one terminal (a 1-wide mesh) has nobody else: send nothing special.
  return !out.empty();
}

}  // namespace nocsim::noc
