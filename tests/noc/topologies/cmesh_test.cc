// The concentrated mesh: where its terminals sit, how concentration is checked, and that the
// network refuses it until the network has one interface per terminal.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/network.h"
#include "noc/topology.h"
#include "tests/expect_user_error.h"

namespace nocsim::noc {
namespace {

config::TopologyConfig cmesh(uint32_t k_x, uint32_t k_y, int concentration = -1) {
  config::TopologyConfig cfg;
  cfg.set_kind("cmesh");
  cfg.set_k_x(k_x);
  cfg.set_k_y(k_y);
  if (concentration >= 0) cfg.set_concentration(static_cast<uint32_t>(concentration));
  return cfg;
}

using nocsim::testing::expect_user_error;

TEST(CmeshTopology, PutsFourTerminalsPerRouterAsATwoByTwoTileByDefault) {
  const Topology t = Topology::from_config(cmesh(4, 3));
  const Grid& g = *t.grid();
  EXPECT_EQ(t.num_routers(), 12u);
  EXPECT_EQ(t.num_terminals(), 48u);
  EXPECT_EQ(g.c_x, 2u);
  EXPECT_EQ(g.c_y, 2u);
  EXPECT_EQ(g.terminals_x(), 8u);
  EXPECT_EQ(g.terminals_y(), 6u);
  // Compass ports 1..4 as on a mesh, terminals on port 0 and on ports 5, 6, 7.
  EXPECT_EQ(t.max_ports(), 8u);
  EXPECT_EQ(t.channels().size(), 2u * (3 * 3 + 4 * 2));
  // Terminal (5, 3) on the 8x6 terminal grid is id 3*8+5 = 29, in router (2, 1), tile place
  // (1, 1) = the fourth terminal, port 7.
  EXPECT_EQ(g.terminal_at(5, 3), 29u);
  EXPECT_EQ(t.terminal_router(29), g.at(2, 1));
  EXPECT_EQ(t.terminal_port(29), 7);
  EXPECT_EQ(t.terminal_port(g.terminal_at(4, 2)), kLocal);
  EXPECT_EQ(t.terminal_port(g.terminal_at(5, 2)), 5);
  EXPECT_EQ(t.terminal_port(g.terminal_at(4, 3)), 6);
  EXPECT_EQ(t.port_name(7), "local 3");
  EXPECT_EQ(t.distance(g.at(0, 0), g.at(3, 2)), 5u);
}

TEST(CmeshTopology, LaysOutOtherConcentrationsAsTheSquarestTile) {
  const Topology two = Topology::from_config(cmesh(3, 3, 2));
  EXPECT_EQ(two.grid()->c_x, 2u);
  EXPECT_EQ(two.grid()->c_y, 1u);
  EXPECT_EQ(two.num_terminals(), 18u);
  EXPECT_EQ(two.max_ports(), 6u);
  const Topology six = Topology::from_config(cmesh(2, 2, 6));
  EXPECT_EQ(six.grid()->c_x, 3u);
  EXPECT_EQ(six.grid()->c_y, 2u);
  // Concentration 1 is a plain mesh.
  const Topology one = Topology::from_config(cmesh(4, 4, 1));
  const Topology mesh = Topology::mesh(4, 4);
  EXPECT_EQ(one.num_terminals(), mesh.num_terminals());
  EXPECT_EQ(one.max_ports(), mesh.max_ports());
  EXPECT_EQ(one.channels().size(), mesh.channels().size());
}

TEST(CmeshTopology, RefusesBadConcentrationsAndConcentrationOnOtherTopologies) {
  expect_user_error([] { Topology::from_config(cmesh(4, 4, 0)); }, "noc.topology.concentration",
                    "between 1 and 16");
  expect_user_error([] { Topology::from_config(cmesh(4, 4, 17)); }, "noc.topology.concentration",
                    "between 1 and 16");
  for (const char* kind : {"mesh", "torus"}) {
    config::TopologyConfig cfg = cmesh(4, 4, 4);
    cfg.set_kind(kind);
    expect_user_error([&] { Topology::from_config(cfg); }, "noc.topology.concentration",
                      "use 'cmesh'");
  }
}

TEST(CmeshTopology, TheNetworkDeliversEveryPacketToItsOwnTerminal) {
  config::NocConfig cfg;
  *cfg.mutable_topology() = cmesh(3, 2);  // 24 terminals, four on each router
  Network net(cfg);
  const Topology& t = net.topology();
  ASSERT_EQ(net.num_terminals(), 24u);
  uint64_t tag = 0;
  for (uint32_t s = 0; s < t.num_terminals(); ++s) {
    for (uint32_t d = 0; d < t.num_terminals(); ++d) {
      if (s != d) net.inject({.source = s, .dest = d, .size_flits = 3, .tag = tag});
      ++tag;
    }
  }
  std::vector<int> delivered(tag, 0);
  uint64_t flits = 0;
  for (int cycle = 0; cycle < 200000 && !net.empty(); ++cycle) {
    net.step();
    for (const Delivery& del : net.delivered()) {
      const uint32_t s = static_cast<uint32_t>(del.tag / t.num_terminals());
      const uint32_t d = static_cast<uint32_t>(del.tag % t.num_terminals());
      EXPECT_EQ(del.source, s);
      EXPECT_EQ(del.dest, d);
      EXPECT_EQ(del.hops, t.distance(t.terminal_router(s), t.terminal_router(d)) + 1);
      ++delivered[del.tag];
    }
    for (const FlitEjection& e : net.ejected_flits()) {
      EXPECT_EQ(e.terminal, e.tag % t.num_terminals()) << "flit ejected at the wrong terminal";
      ++flits;
    }
  }
  ASSERT_TRUE(net.empty());
  for (uint64_t i = 0; i < tag; ++i) {
    EXPECT_EQ(delivered[i], i / t.num_terminals() == i % t.num_terminals() ? 0 : 1) << i;
  }
  EXPECT_EQ(flits, 3u * 24 * 23);
}

}  // namespace
}  // namespace nocsim::noc
