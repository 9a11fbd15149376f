#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/routing/routing_algorithm.h"
#include "tests/noc/routing/all_routes.h"

namespace nocsim::noc {
namespace {

using testing::make_routing;
using testing::noc_config;
using testing::walk;
using Hop = testing::Hop;

std::string port_letters(const std::vector<Hop>& path) {
  std::string s;
  for (const Hop& h : path) s += "LEWNS"[h.port];
  return s;
}

TEST(XyRouting, GoesAllTheWayInXThenInY) {
  const Topology t = Topology::mesh(4, 4);
  const auto alg = make_routing(t, noc_config("xy"));
  EXPECT_TRUE(alg->table_friendly());
  EXPECT_FALSE(alg->adaptive());
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(0, 0), t.grid()->at(3, 2))), "EEENNL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(3, 3), t.grid()->at(1, 0))), "WWSSSL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(2, 2), t.grid()->at(2, 2))), "L");
}

TEST(YxRouting, GoesAllTheWayInYThenInX) {
  const Topology t = Topology::mesh(4, 4);
  const auto alg = make_routing(t, noc_config("yx"));
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(0, 0), t.grid()->at(3, 2))), "NNEEEL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(3, 3), t.grid()->at(1, 0))), "SSSWWL");
}

TEST(XyRouting, TakesTheShorterWayRoundATorusRing) {
  const Topology t = Topology::torus(8, 8);
  const auto alg = make_routing(t, noc_config("xy", 4));
  EXPECT_FALSE(alg->table_friendly());  // the dateline class depends on the input VC
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(1, 0), t.grid()->at(6, 0))), "WWWL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(6, 0), t.grid()->at(1, 0))), "EEEL");
  // Half-way round: the packet's coin picks the way, in each dimension where it ties.
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(0, 0), t.grid()->at(4, 0))), "EEEEL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(0, 0), t.grid()->at(4, 0), 1)), "WWWWL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(5, 3), t.grid()->at(1, 7))), "EEEENNNNL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(5, 3), t.grid()->at(1, 7), 1)), "WWWWSSSSL");
  EXPECT_EQ(port_letters(walk(t, *alg, t.grid()->at(0, 7), t.grid()->at(0, 1))), "NNL");
}

TEST(XyRouting, ARunOverTheDatelineTravelsInTheUpperVcClass) {
  const Topology t = Topology::torus(8, 8);
  const auto alg = make_routing(t, noc_config("xy", 4));
  // From x=6 east over the wrap (7 -> 0) to x=1, then north from y=0 to y=2 (no wrap).
  const auto path = walk(t, *alg, t.grid()->at(6, 0), t.grid()->at(1, 2));
  ASSERT_EQ(port_letters(path), "EEENNL");
  EXPECT_EQ(path[0].vc_mask, 0b1100u);  // the run will cross: upper class from its first hop
  EXPECT_EQ(path[1].vc_mask, 0b1100u);  // the wrap link itself
  EXPECT_EQ(path[2].vc_mask, 0b1100u);  // after it, same dimension
  EXPECT_EQ(path[3].vc_mask, 0b0011u);  // a new dimension, whose run does not cross: lower
  EXPECT_EQ(path[4].vc_mask, 0b0011u);
  // A run that does not reach the wraparound stays in the lower class; one that starts on the wrap
  // link is upper; the second dimension's class is its own run's.
  const auto low = walk(t, *alg, t.grid()->at(2, 0), t.grid()->at(5, 0));
  ASSERT_EQ(port_letters(low), "EEEL");
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(low[i].vc_mask, 0b0011u) << i;
  const auto y_wraps = walk(t, *alg, t.grid()->at(7, 1), t.grid()->at(0, 6));
  ASSERT_EQ(port_letters(y_wraps), "ESSSL");
  EXPECT_EQ(y_wraps[0].vc_mask, 0b1100u);  // 7 -> 0: the x wrap link
  for (size_t i = 1; i < 4; ++i) EXPECT_EQ(y_wraps[i].vc_mask, 0b1100u) << i;  // 1 -> 0 -> 7 -> 6
}

TEST(XyRouting, RefusesATorusWithOneVcUnlessDeadlockIsAllowed) {
  const Topology t = Topology::torus(4, 4);
  try {
    make_routing(t, noc_config("xy", 1));
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "noc.router.num_vcs");
  }
  config::NocConfig cfg = noc_config("xy", 1);
  cfg.mutable_routing()->set_allow_deadlock_prone(true);
  const auto alg = make_routing(t, cfg);
  EXPECT_EQ(walk(t, *alg, t.grid()->at(3, 0), t.grid()->at(0, 0))[0].vc_mask, ~0u);
}

TEST(XyRouting, RefusesGraphTopologies) {
  const std::string path = ::testing::TempDir() + "tri.edges";
  {
    FILE* f = fopen(path.c_str(), "w");
    fputs("0 1\n1 2\n2 0\n", f);
    fclose(f);
  }
  const Topology t = Topology::from_graph_file(path);
  try {
    make_routing(t, noc_config("xy"));
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "noc.routing.algorithm");
    EXPECT_NE(std::string(e.what()).find("table"), std::string::npos);
  }
}

TEST(RoutingRegistry, UnknownNameListsTheValidOnes) {
  const Topology t = Topology::mesh(2, 2);
  try {
    make_routing(t, noc_config("zigzag"));
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "noc.routing.algorithm");
    EXPECT_NE(std::string(e.what()).find("xy"), std::string::npos);
  }
}

}  // namespace
}  // namespace nocsim::noc
