#include "noc/topology.h"

#include <cstdio>
#include <fstream>
#include <limits>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <boost/graph/graph_traits.hpp>

#include "configs/user_error.h"
#include "noc/topologies/topology_builder.h"
#include "tests/expect_user_error.h"

namespace nocsim::noc {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

using nocsim::testing::expect_user_error;

TEST(MeshTopology, NumbersRoutersRowMajorAndWiresPortsByCompassDirection) {
  const Topology t = Topology::mesh(4, 3);
  ASSERT_NE(t.grid(), nullptr);
  EXPECT_FALSE(t.grid()->wraps());
  EXPECT_EQ(t.grid()->concentration(), 1u);
  EXPECT_EQ(t.num_routers(), 12u);
  EXPECT_EQ(t.grid()->at(2, 1), 6u);
  EXPECT_EQ(t.grid()->x(6), 2u);
  EXPECT_EQ(t.grid()->y(6), 1u);
  EXPECT_EQ(t.max_ports(), 5u);
  // 2 * (k_y * (k_x - 1) + k_x * (k_y - 1)) directed channels.
  EXPECT_EQ(t.channels().size(), 2u * (3 * 3 + 4 * 2));
  const RouterId r = t.grid()->at(1, 1);
  EXPECT_EQ(t.neighbor(r, kEast), t.grid()->at(2, 1));
  EXPECT_EQ(t.neighbor(r, kWest), t.grid()->at(0, 1));
  EXPECT_EQ(t.neighbor(r, kNorth), t.grid()->at(1, 2));
  EXPECT_EQ(t.neighbor(r, kSouth), t.grid()->at(1, 0));
  EXPECT_EQ(t.channels()[t.out_channel(r, kEast)].dst_port, kWest);
  EXPECT_EQ(t.channels()[t.out_channel(r, kNorth)].dst_port, kSouth);
  EXPECT_EQ(t.out_channel(r, kLocal), -1);
}

TEST(MeshTopology, EdgePortsAreUnconnected) {
  const Topology t = Topology::mesh(3, 3);
  EXPECT_EQ(t.out_channel(t.grid()->at(0, 0), kWest), -1);
  EXPECT_EQ(t.out_channel(t.grid()->at(0, 0), kSouth), -1);
  EXPECT_EQ(t.out_channel(t.grid()->at(2, 2), kEast), -1);
  EXPECT_EQ(t.out_channel(t.grid()->at(2, 2), kNorth), -1);
  EXPECT_GE(t.out_channel(t.grid()->at(0, 0), kEast), 0);
}

TEST(MeshTopology, GraphHasOneEdgePerChannelAndPortsAreConsistent) {
  const Topology t = Topology::mesh(5, 4);
  EXPECT_EQ(boost::num_vertices(t.graph()), t.num_routers());
  EXPECT_EQ(boost::num_edges(t.graph()), t.channels().size());
  std::set<uint32_t> seen;
  for (auto [it, end] = boost::edges(t.graph()); it != end; ++it) {
    const uint32_t c = t.graph()[*it].channel;
    EXPECT_TRUE(seen.insert(c).second);
    const Channel& ch = t.channels()[c];
    EXPECT_EQ(boost::source(*it, t.graph()), ch.src);
    EXPECT_EQ(boost::target(*it, t.graph()), ch.dst);
    EXPECT_EQ(t.out_channel(ch.src, ch.src_port), static_cast<int32_t>(c));
    // The reverse channel leaves the far router through the port this one arrives on.
    const Channel& back = t.channels()[t.out_channel(ch.dst, ch.dst_port)];
    EXPECT_EQ(back.dst, ch.src);
    EXPECT_EQ(back.dst_port, ch.src_port);
  }
}

TEST(MeshTopology, DistanceIsManhattan) {
  const Topology t = Topology::mesh(8, 8);
  EXPECT_EQ(t.distance(t.grid()->at(0, 0), t.grid()->at(7, 7)), 14u);
  EXPECT_EQ(t.distance(t.grid()->at(3, 5), t.grid()->at(6, 1)), 7u);
  EXPECT_EQ(t.distance(9, 9), 0u);
}

TEST(MeshTopology, BuildsA64x64MeshQuickly) {
  const Topology t = Topology::mesh(64, 64);
  EXPECT_EQ(t.num_routers(), 4096u);
  EXPECT_EQ(t.channels().size(), 4u * 64 * 63);
  EXPECT_EQ(t.total_ports(), 5u * 4096);
}

TEST(TorusTopology, WrapsEveryRing) {
  const Topology t = Topology::torus(4, 3);
  ASSERT_NE(t.grid(), nullptr);
  EXPECT_TRUE(t.grid()->wrap_x && t.grid()->wrap_y);
  EXPECT_EQ(t.channels().size(), 4u * 12);
  EXPECT_EQ(t.neighbor(t.grid()->at(3, 1), kEast), t.grid()->at(0, 1));
  EXPECT_EQ(t.neighbor(t.grid()->at(0, 1), kWest), t.grid()->at(3, 1));
  EXPECT_EQ(t.neighbor(t.grid()->at(2, 2), kNorth), t.grid()->at(2, 0));
  EXPECT_EQ(t.neighbor(t.grid()->at(2, 0), kSouth), t.grid()->at(2, 2));
  EXPECT_EQ(t.distance(t.grid()->at(0, 0), t.grid()->at(3, 0)), 1u);
  EXPECT_EQ(t.distance(t.grid()->at(0, 0), t.grid()->at(2, 2)), 3u);
}

TEST(TorusTopology, RingOfOneHasNoSelfLoops) {
  const Topology t = Topology::torus(4, 1);
  EXPECT_EQ(t.out_channel(0, kNorth), -1);
  EXPECT_EQ(t.channels().size(), 8u);
}

TEST(Topology, RejectsBadSizes) {
  expect_user_error([] { Topology::mesh(0, 4); }, "noc.topology.k_x", "between 1 and");
  expect_user_error([] { Topology::torus(4, 5000); }, "noc.topology.k_y", "between 1 and");
  expect_user_error([] { Topology::mesh(4, 4, -1.0); }, "noc.topology.link_length_mm", "positive");
}

// Each noc.topology.* number has a range, refused before anything is built: a link beyond a
// wafer's size is a unit mistake whose energy would be garbage.
TEST(Topology, RefusesLinkLengthsOutsideTheirRange) {
  for (const double bad : {0.0, 1000.5, 1e300, std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()}) {
    for (const char* kind : {"mesh", "torus", "cmesh"}) {
      config::TopologyConfig cfg;
      cfg.set_kind(kind);
      cfg.set_k_x(4);
      cfg.set_link_length_mm(bad);
      expect_user_error([&] { topology_registry().create(kind, "noc.topology.kind", cfg); },
                        "noc.topology.link_length_mm", "at most 1000");
    }
  }
  EXPECT_NO_THROW(Topology::mesh(2, 2, 1000.0));
  EXPECT_NO_THROW(Topology::mesh(2, 2, 0.001));
  EXPECT_NO_THROW(Topology::mesh(1024, 1));
  expect_user_error([] { Topology::mesh(1025, 1); }, "noc.topology.k_x", "between 1 and 1024");
  const std::string far = write_temp("far.edges", "0 1 1000\n1 2 1000.5\n");
  expect_user_error([&] { Topology::from_graph_file(far); }, "noc.topology.graph_file",
                    far + ":2: length '1000.5' is not a positive number of mm, at most 1000");
}

TEST(Topology, FromConfigAppliesDefaultsAndRejectsUnknownKinds) {
  config::TopologyConfig cfg;
  Topology t = Topology::from_config(cfg);
  ASSERT_NE(t.grid(), nullptr);
  EXPECT_FALSE(t.grid()->wraps());
  EXPECT_EQ(t.num_routers(), 64u);
  cfg.set_kind("torus");
  cfg.set_k_x(3);
  t = Topology::from_config(cfg);
  ASSERT_NE(t.grid(), nullptr);
  EXPECT_TRUE(t.grid()->wraps());
  EXPECT_EQ(t.num_routers(), 9u);
  // An explicit zero is a mistake, not a request for the default.
  config::TopologyConfig zero = cfg;
  zero.set_k_x(0);
  expect_user_error([&] { Topology::from_config(zero); }, "noc.topology.k_x", "between 1 and");
  zero = cfg;
  zero.set_k_y(0);
  expect_user_error([&] { Topology::from_config(zero); }, "noc.topology.k_y", "between 1 and");
  cfg.set_kind("hypercube");
  expect_user_error([&] { Topology::from_config(cfg); }, "noc.topology.kind",
                    "unknown topology 'hypercube'; valid names: ");
  for (const std::string& name : topology_registry().names()) {
    expect_user_error([&] { Topology::from_config(cfg); }, "noc.topology.kind", name);
  }
  cfg.set_kind("graph");
  expect_user_error([&] { Topology::from_config(cfg); }, "noc.topology.graph_file",
                    "needs a graph_file");
}

TEST(GraphTopology, ReadsAnEdgeListWithCommentsAndLengths) {
  const std::string path = write_temp("ring.edges",
                                      "# a 4-ring with one long link\n"
                                      "0 1\n"
                                      "1 2 2.5   # longer\n"
                                      "\n"
                                      "2 3\n"
                                      "3 0\n");
  const Topology t = Topology::from_graph_file(path);
  EXPECT_EQ(t.grid(), nullptr);
  EXPECT_EQ(t.num_routers(), 4u);
  EXPECT_EQ(t.channels().size(), 8u);
  EXPECT_EQ(t.num_ports(0), 3u);  // terminal + two links
  EXPECT_EQ(t.distance(0, 2), 2u);
  EXPECT_EQ(t.distance(3, 1), 2u);
  EXPECT_EQ(t.distance(0, 3), 1u);
  EXPECT_EQ(boost::num_edges(t.graph()), 8u);
  // Router 1's second link (port 2) goes to router 2 and is 2.5 mm long.
  const Channel& ch = t.channels()[t.out_channel(1, 2)];
  EXPECT_EQ(ch.dst, 2u);
  EXPECT_DOUBLE_EQ(ch.length_mm, 2.5);
  EXPECT_EQ(t.port_name(2), "port 2");
}

TEST(GraphTopology, ErrorsNameFileAndLine) {
  const std::string field = "noc.topology.graph_file";
  expect_user_error([] { Topology::from_graph_file("/nonexistent/x.edges"); }, field,
                    "cannot open graph file '/nonexistent/x.edges'");
  const std::string bad_id = write_temp("bad_id.edges", "0 1\n1 x\n");
  expect_user_error([&] { Topology::from_graph_file(bad_id); }, field,
                    bad_id + ":2: router id 'x'");
  const std::string bad_len = write_temp("bad_len.edges", "0 1 -3\n");
  expect_user_error([&] { Topology::from_graph_file(bad_len); }, field, bad_len + ":1: length");
  const std::string words = write_temp("words.edges", "0 1\n\n1 2 3 4\n");
  expect_user_error([&] { Topology::from_graph_file(words); }, field, words + ":3: expected");
  const std::string loop = write_temp("loop.edges", "0 0\n");
  expect_user_error([&] { Topology::from_graph_file(loop); }, field, "self-loop");
  const std::string dup = write_temp("dup.edges", "0 1\n1 0\n");
  expect_user_error([&] { Topology::from_graph_file(dup); }, field, dup + ":2: duplicate edge");
  const std::string split = write_temp("split.edges", "0 1\n2 3\n");
  expect_user_error([&] { Topology::from_graph_file(split); }, field, "not connected");
  const std::string empty = write_temp("empty.edges", "# nothing\n");
  expect_user_error([&] { Topology::from_graph_file(empty); }, field, "no edges");
}

}  // namespace
}  // namespace nocsim::noc
