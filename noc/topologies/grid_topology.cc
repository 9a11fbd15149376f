#include "noc/topologies/grid_topology.h"

#include <cmath>
#include <string>
#include <vector>

#include "configs/user_error.h"

namespace nocsim::noc {

namespace {

// Meshes up to 1024 per side are cheap (flat arrays); the limit only stops typos like k_x=100000.
constexpr uint32_t kMaxRadix = 1024;
// Terminals beyond the first take ports after the compass ports; 16 keeps a router at 20 ports.
constexpr uint32_t kMaxConcentration = 16;

void check_radix(uint32_t k, const std::string& field) {
  require(k >= 1 && k <= kMaxRadix, field,
          "must be between 1 and " + std::to_string(kMaxRadix) + ", got " + std::to_string(k));
}

}  // namespace

GridSpec GridSpec::from_config(const config::TopologyConfig& cfg, const char* kind, bool wrap,
                               bool concentrated) {
  GridSpec s;
  // Unset sizes take defaults; an explicit 0 is refused by the radix check.
  s.grid.k_x = cfg.has_k_x() ? cfg.k_x() : 8;
  s.grid.k_y = cfg.has_k_y() ? cfg.k_y() : s.grid.k_x;
  check_radix(s.grid.k_x, "noc.topology.k_x");
  check_radix(s.grid.k_y, "noc.topology.k_y");
  s.grid.wrap_x = s.grid.wrap_y = wrap;
  s.link_length_mm = cfg.has_link_length_mm() ? cfg.link_length_mm() : 1.0;
  require(std::isfinite(s.link_length_mm) && s.link_length_mm > 0 &&
              s.link_length_mm <= kMaxLinkLengthMm,
          "noc.topology.link_length_mm",
          "link length must be a positive number of mm, at most " +
              std::to_string(static_cast<int>(kMaxLinkLengthMm)) + ", got " +
              std::to_string(s.link_length_mm));
  if (!concentrated) {
    require(!cfg.has_concentration(), "noc.topology.concentration",
            std::string("topology '") + kind + "' has one terminal per router; use 'cmesh'");
    return s;
  }
  const uint32_t c = cfg.has_concentration() ? cfg.concentration() : 4;
  require(
      c >= 1 && c <= kMaxConcentration, "noc.topology.concentration",
      "must be between 1 and " + std::to_string(kMaxConcentration) + ", got " + std::to_string(c));
  // The tile is as square as c allows: c_y the largest divisor of c not above its square root.
  uint32_t cy = 1;
  for (uint32_t d = 1; d * d <= c; ++d)
    if (c % d == 0) cy = d;
  s.grid.c_x = c / cy;
  s.grid.c_y = cy;
  return s;
}

TopologySize grid_size(const GridSpec& spec) {
  const Grid& g = spec.grid;
  // One channel each way between neighbours; a wrapped ring of k > 1 routers has k links.
  auto ring_channels = [](uint64_t k, bool wrap) { return wrap && k > 1 ? 2 * k : 2 * (k - 1); };
  TopologySize s;
  s.routers = uint64_t{g.k_x} * g.k_y;
  s.ports = s.routers * (kMeshPorts + g.concentration() - 1);
  s.channels = g.k_y * ring_channels(g.k_x, g.wrap_x) + g.k_x * ring_channels(g.k_y, g.wrap_y);
  return s;
}

Topology build_grid(const GridSpec& spec) {
  const Grid& g = spec.grid;
  const double len = spec.link_length_mm;
  Topology t;
  for (uint32_t y = 0; y < g.k_y; ++y) {
    for (uint32_t x = 0; x < g.k_x; ++x) {
      const RouterId r = g.at(x, y);
      if (x + 1 < g.k_x || (g.wrap_x && g.k_x > 1))
        t.add_channel(r, kEast, g.at((x + 1) % g.k_x, y), kWest, len);
      if (x > 0 || (g.wrap_x && g.k_x > 1))
        t.add_channel(r, kWest, g.at((x + g.k_x - 1) % g.k_x, y), kEast, len);
      if (y + 1 < g.k_y || (g.wrap_y && g.k_y > 1))
        t.add_channel(r, kNorth, g.at(x, (y + 1) % g.k_y), kSouth, len);
      if (y > 0 || (g.wrap_y && g.k_y > 1))
        t.add_channel(r, kSouth, g.at(x, (y + g.k_y - 1) % g.k_y), kNorth, len);
    }
  }
  const uint32_t c = g.concentration();
  std::vector<Topology::Terminal> terminals(static_cast<size_t>(g.terminals_x()) * g.terminals_y());
  for (uint32_t term = 0; term < terminals.size(); ++term) {
    const uint32_t tx = g.terminal_x(term), ty = g.terminal_y(term);
    const uint32_t i = (ty % g.c_y) * g.c_x + tx % g.c_x;  // place in the router's tile
    terminals[term] = {g.at(tx / g.c_x, ty / g.c_y),
                       static_cast<PortId>(i == 0 ? 0u : kMeshPorts + i - 1)};
  }
  const uint32_t ports = kMeshPorts + (c - 1);
  t.finish(std::vector<uint32_t>(static_cast<size_t>(g.k_x) * g.k_y, ports), terminals, g);
  return t;
}

}  // namespace nocsim::noc
