// Synthetic patterns work over terminals, not routers: on a concentrated mesh every registered
// pattern gives exactly what it gives on a plain mesh the size of the cmesh's terminal grid (the
// coordinate patterns read terminal coordinates, the others terminal ids).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {
namespace {

// Destinations of 4 draws from each source, or empty when the pattern refuses the topology.
std::vector<uint32_t> destinations(const std::string& name, const Topology& t) {
  config::TrafficConfig cfg;
  cfg.set_pattern(name);
  cfg.mutable_hotspot()->add_nodes(5);
  cfg.mutable_hotspot()->set_fraction(0.5);
  std::unique_ptr<TrafficPattern> p;
  try {
    p = traffic_registry().create(name, "traffic.pattern", t, cfg);
  } catch (const UserError&) {
    return {};
  }
  Rng rng(7);
  std::vector<uint32_t> out;
  for (uint32_t s = 0; s < t.num_terminals(); ++s) {
    for (int i = 0; i < 4; ++i) out.push_back(p->destination(s, rng));
  }
  return out;
}

TEST(EveryTrafficPattern, OnACmeshEqualsItselfOnAMeshOfTheTerminalGrid) {
  config::TopologyConfig cfg;
  cfg.set_kind("cmesh");
  cfg.set_k_x(4);
  cfg.set_k_y(4);
  cfg.set_concentration(4);
  const Topology cmesh = Topology::from_config(cfg);  // 4x4 routers, 8x8 terminals
  const Topology mesh = Topology::mesh(8, 8);
  int compared = 0;
  for (const std::string& name : traffic_registry().names()) {
    const std::vector<uint32_t> on_mesh = destinations(name, mesh);
    const std::vector<uint32_t> on_cmesh = destinations(name, cmesh);
    EXPECT_EQ(on_mesh.empty(), on_cmesh.empty()) << name << " refuses only one of them";
    if (on_mesh.empty()) continue;
    EXPECT_EQ(on_cmesh, on_mesh) << name;
    for (uint32_t d : on_cmesh) ASSERT_LT(d, cmesh.num_terminals()) << name;
    ++compared;
  }
  EXPECT_GE(compared, 8);  // every pattern but trace replay, which needs a file
}

TEST(TransposeTraffic, OnACmeshSwapsTerminalCoordinatesAcrossRouters) {
  config::TopologyConfig cfg;
  cfg.set_kind("cmesh");
  cfg.set_k_x(2);
  cfg.set_k_y(2);
  const Topology t = Topology::from_config(cfg);
  const Grid& g = *t.grid();
  config::TrafficConfig tc;
  const auto p = traffic_registry().create("transpose", "traffic.pattern", t, tc);
  Rng rng(1);
  // Terminal (1, 2) sits in router (0, 1); its transpose (2, 1) in router (1, 0).
  const uint32_t dest = p->destination(g.terminal_at(1, 2), rng);
  EXPECT_EQ(dest, g.terminal_at(2, 1));
  EXPECT_EQ(t.terminal_router(dest), g.at(1, 0));
}

}  // namespace
}  // namespace nocsim::noc
