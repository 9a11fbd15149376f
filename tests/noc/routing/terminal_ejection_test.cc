// Every routing algorithm on every topology it accepts (both registries iterated) delivers each
// packet to its destination terminal's port: several terminals may share a router (cmesh), so
// ejection is at q.dest_port, never at a fixed local port.
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "noc/topologies/topology_builder.h"
#include "tests/noc/routing/all_routes.h"
#include "tests/noc/topologies/small_topology.h"

namespace nocsim::noc {
namespace {

using testing::noc_config;

// Follows every choice from terminal `src` toward terminal `dst`; every ejection must be at dst.
void expect_ejects_at(const Topology& t, const RoutingAlgorithm& alg, uint32_t num_vcs,
                      uint32_t src, uint32_t dst, const std::string& what) {
  const RouterId s = t.terminal_router(src), d = t.terminal_router(dst);
  const PortId dport = t.terminal_port(dst);
  std::set<std::tuple<RouterId, PortId, uint8_t>> seen;
  std::vector<RouteQuery> todo;
  for (uint32_t v = 0; v < num_vcs; ++v) {
    todo.push_back(RouteQuery{s, t.terminal_port(src), static_cast<uint8_t>(v), s, d, dport});
  }
  uint32_t ejections = 0;
  while (!todo.empty()) {
    const RouteQuery q = todo.back();
    todo.pop_back();
    if (!seen.insert({q.at, q.in_port, q.in_vc}).second) continue;
    ASSERT_LE(seen.size(), size_t{t.num_routers()} * t.max_ports() * num_vcs) << what;
    RouteChoices c;
    alg.route(q, c);
    ASSERT_GT(c.count, 0) << what << ": no choice at router " << q.at;
    for (uint8_t i = 0; i < c.count; ++i) {
      const PortId p = c.choice[i].port;
      ASSERT_LT(p, t.num_ports(q.at)) << what;
      if (t.terminal_at(q.at, p) >= 0) {
        EXPECT_EQ(q.at, d) << what << ": ejects at router " << q.at;
        EXPECT_EQ(t.terminal_at(q.at, p), static_cast<int32_t>(dst))
            << what << ": ejects to " << t.port_name(p);
        ++ejections;
        continue;
      }
      ASSERT_GE(t.out_channel(q.at, p), 0) << what << ": unconnected port " << t.port_name(p);
      const Channel& link = t.channels()[t.out_channel(q.at, p)];
      for (uint32_t v = 0; v < num_vcs; ++v) {
        if ((c.choice[i].vc_mask >> v) & 1u) {
          todo.push_back(
              RouteQuery{link.dst, link.dst_port, static_cast<uint8_t>(v), q.source, d, dport});
        }
      }
    }
  }
  EXPECT_GT(ejections, 0u) << what << ": never ejects";
}

TEST(EveryRoutingOnEveryTopology, EjectsAtTheDestinationTerminalsPort) {
  int pairs_checked = 0;
  for (const std::string& topo : topology_registry().names()) {
    config::TopologyConfig tc = testing::small_topology_config(topo);
    if (topo == "cmesh") tc.set_concentration(3);  // a 3x1 tile: ports 0, 5, 6
    const Topology t = Topology::from_config(tc);
    for (const std::string& name : routing_registry().names()) {
      const config::NocConfig cfg = noc_config(name, 2);
      const auto alg = testing::make_routing_if_defined(t, cfg);
      if (alg == nullptr) continue;  // the algorithm is not defined on this topology
      for (uint32_t src = 0; src < t.num_terminals(); ++src) {
        for (uint32_t dst = 0; dst < t.num_terminals(); ++dst) {
          expect_ejects_at(t, *alg, 2, src, dst,
                           name + " on " + topo + ", terminal " + std::to_string(src) + " -> " +
                               std::to_string(dst));
          ++pairs_checked;
        }
      }
    }
  }
  EXPECT_GT(pairs_checked, 0);
}

}  // namespace
}  // namespace nocsim::noc
