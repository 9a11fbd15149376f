#pragma once
// Base for deterministic patterns: each source has one fixed destination, computed once at
// construction into a table so that a packet costs one array load. Also the applicability checks
// the permutation patterns share; each throws UserError on traffic.pattern.
#include <bit>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "configs/user_error.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {

class PermutationTraffic : public TrafficPattern {
 public:
  explicit PermutationTraffic(std::vector<uint32_t> destination_of)
      : destination_of_(std::move(destination_of)) {}
  uint32_t destination(uint32_t source, Rng&) const override { return destination_of_[source]; }
  const std::vector<uint32_t>& table() const { return destination_of_; }

 private:
  std::vector<uint32_t> destination_of_;
};

// Bit patterns read a terminal id as a log2(N)-bit number, so N must be a power of two (as
// BookSim requires). Returns log2(N).
inline uint32_t require_power_of_two_terminals(const Topology& t, const std::string& pattern) {
  const uint32_t n = t.num_terminals();
  require(n >= 2 && std::has_single_bit(n), "traffic.pattern",
          "'" + pattern + "' needs a power-of-two number of terminals, the network has " +
              std::to_string(n));
  return static_cast<uint32_t>(std::countr_zero(n));
}

// Coordinate patterns need the grid capability; they work on the terminal grid (on a concentrated
// mesh that is finer than the router grid).
inline const Grid& require_grid(const Topology& t, const std::string& pattern) {
  require(t.grid() != nullptr, "traffic.pattern",
          "'" + pattern + "' needs a grid topology (it is defined on x/y coordinates); a graph " +
              "topology has none");
  return *t.grid();
}

// Builds the table by applying `f` to every terminal.
template <class F>
std::vector<uint32_t> destinations_of_all(const Topology& t, F f) {
  std::vector<uint32_t> out(t.num_terminals());
  for (uint32_t s = 0; s < out.size(); ++s) out[s] = f(s);
  return out;
}

}  // namespace nocsim::noc
