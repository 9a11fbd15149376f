// Properties every registered topology builder must have, checked by iterating the registry: it
// builds from a small config, its ports, channels and terminals are consistent, the Boost graph
// mirrors the channels, and distance() agrees with a breadth-first search over the channels.
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/graph/graph_traits.hpp>

#include "noc/topologies/topology_builder.h"
#include "tests/noc/topologies/small_topology.h"

namespace nocsim::noc {
namespace {

class EveryTopology : public ::testing::TestWithParam<std::string> {
 protected:
  Topology build() const {
    return Topology::from_config(testing::small_topology_config(GetParam()));
  }
};

TEST_P(EveryTopology, BuildsWithConsistentPortsChannelsAndTerminals) {
  const Topology t = build();
  ASSERT_GT(t.num_routers(), 1u);
  ASSERT_GE(t.num_terminals(), t.num_routers());
  std::set<std::pair<RouterId, PortId>> inputs;
  for (uint32_t c = 0; c < t.channels().size(); ++c) {
    const Channel& ch = t.channels()[c];
    ASSERT_LT(ch.src, t.num_routers());
    ASSERT_LT(ch.dst, t.num_routers());
    ASSERT_NE(ch.src, ch.dst) << "self-loop channel " << c;
    ASSERT_LT(ch.src_port, t.num_ports(ch.src));
    ASSERT_LT(ch.dst_port, t.num_ports(ch.dst));
    EXPECT_EQ(t.out_channel(ch.src, ch.src_port), static_cast<int32_t>(c));
    EXPECT_EQ(t.neighbor(ch.src, ch.src_port), ch.dst);
    EXPECT_TRUE(inputs.insert({ch.dst, ch.dst_port}).second) << "two channels into one port";
    EXPECT_EQ(t.terminal_at(ch.dst, ch.dst_port), -1) << "a channel arrives on a terminal port";
    EXPECT_GT(ch.length_mm, 0.0);
  }
  EXPECT_EQ(boost::num_edges(t.graph()), t.channels().size());
  EXPECT_EQ(boost::num_vertices(t.graph()), t.num_routers());
  std::vector<uint32_t> terminals_at(t.num_routers(), 0);
  for (uint32_t term = 0; term < t.num_terminals(); ++term) {
    const RouterId r = t.terminal_router(term);
    const PortId p = t.terminal_port(term);
    ASSERT_LT(r, t.num_routers());
    ASSERT_LT(p, t.num_ports(r));
    EXPECT_EQ(t.out_channel(r, p), -1) << "terminal " << term << " shares a port with a link";
    EXPECT_EQ(t.terminal_at(r, p), static_cast<int32_t>(term));
    ++terminals_at[r];
  }
  for (RouterId r = 0; r < t.num_routers(); ++r) {
    EXPECT_GE(terminals_at[r], 1u) << "router " << r << " has no terminal";
    EXPECT_LE(t.num_ports(r), t.max_ports());
    for (PortId p = 0; p < t.num_ports(r); ++p) {
      EXPECT_EQ(t.port_index(r, p), t.port_index(r, 0) + p);
      if (t.terminal_at(r, p) >= 0) {
        EXPECT_EQ(t.terminal_router(t.terminal_at(r, p)), r);
      }
    }
  }
  EXPECT_EQ(t.port_index(t.num_routers() - 1, 0) + t.num_ports(t.num_routers() - 1),
            t.total_ports());
  if (const Grid* g = t.grid()) {
    EXPECT_EQ(g->k_x * g->k_y, t.num_routers());
    EXPECT_EQ(g->terminals_x() * g->terminals_y(), t.num_terminals());
    for (RouterId r = 0; r < t.num_routers(); ++r) EXPECT_EQ(g->at(g->x(r), g->y(r)), r);
  }
}

TEST_P(EveryTopology, DistanceAgreesWithABreadthFirstSearchOverTheChannels) {
  const Topology t = build();
  const uint32_t n = t.num_routers();
  for (RouterId s = 0; s < n; ++s) {
    std::vector<uint32_t> dist(n, std::numeric_limits<uint32_t>::max());
    std::vector<RouterId> queue{s};
    dist[s] = 0;
    for (size_t head = 0; head < queue.size(); ++head) {
      const RouterId u = queue[head];
      for (PortId p = 0; p < t.num_ports(u); ++p) {
        if (t.out_channel(u, p) < 0) continue;
        const RouterId v = t.neighbor(u, p);
        if (dist[v] == std::numeric_limits<uint32_t>::max()) {
          dist[v] = dist[u] + 1;
          queue.push_back(v);
        }
      }
    }
    ASSERT_EQ(queue.size(), n) << "router " << s << " does not reach every router";
    for (RouterId d = 0; d < n; ++d) EXPECT_EQ(t.distance(s, d), dist[d]) << s << " -> " << d;
  }
}

TEST_P(EveryTopology, NamesEveryPortForMessages) {
  const Topology t = build();
  EXPECT_EQ(t.port_name(t.terminal_port(0)), "local");
  std::set<std::string> names;
  for (PortId p = 0; p < t.max_ports(); ++p) names.insert(t.port_name(p));
  EXPECT_EQ(names.size(), t.max_ports()) << "two ports share a name";
}

std::vector<std::string> topology_names() {
  return topology_registry().names();
}

INSTANTIATE_TEST_SUITE_P(Topologies, EveryTopology, ::testing::ValuesIn(topology_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nocsim::noc
