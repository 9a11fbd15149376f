#include "noc/deadlock_check.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "tests/noc/routing/all_routes.h"

namespace nocsim::noc {
namespace {

using testing::make_routing;
using testing::noc_config;

// Test-only: every minimal direction at every hop, one VC class. Fully adaptive minimal routing
// without escape channels permits all eight turns, so it can deadlock and the check must say so.
class AllMinimalTurns : public RoutingAlgorithm {
 public:
  explicit AllMinimalTurns(const Topology& t) : t_(t) {}
  void route(const RouteQuery& q, RouteChoices& out) const override {
    const int dx = int(t_.grid()->x(q.dest)) - int(t_.grid()->x(q.at)),
              dy = int(t_.grid()->y(q.dest)) - int(t_.grid()->y(q.at));
    if (dx > 0) out.add(kEast);
    if (dx < 0) out.add(kWest);
    if (dy > 0) out.add(kNorth);
    if (dy < 0) out.add(kSouth);
    if (out.count == 0) out.add(kLocal);
  }
  bool adaptive() const override { return true; }
  RouteQuery canonical_query(const RouteQuery& q) const override {
    return RouteQuery{q.at, kLocal, 0, 0, q.dest};
  }

 private:
  const Topology& t_;
};

// Test-only: claims to be table-friendly but sends a packet to a port that does not exist.
class OffTheEdge : public RoutingAlgorithm {
 public:
  void route(const RouteQuery&, RouteChoices& out) const override { out.add(kWest); }
  bool table_friendly() const override { return true; }
};

std::vector<std::string> routing_names() {
  return routing_registry().names();
}

class MeshAlgorithms : public ::testing::TestWithParam<std::string> {};

TEST_P(MeshAlgorithms, AreDeadlockFreeOnMeshes) {
  for (const Topology& t : {Topology::mesh(8, 8), Topology::mesh(5, 7), Topology::mesh(1, 6)}) {
    for (uint32_t vcs : {1u, 2u}) {
      const auto alg = testing::make_routing_if_defined(t, noc_config(GetParam(), vcs));
      if (alg == nullptr) {
        EXPECT_EQ(vcs, 1u) << GetParam() << " refuses 2 VCs on a mesh";
        continue;  // needs VC classes (o1turn)
      }
      const auto cycle = find_deadlock_cycle(t, *alg, vcs);
      EXPECT_FALSE(cycle.has_value()) << GetParam() << ": " << cycle.value_or("");
    }
  }
}

// How long these checks take is measured by tests/noc/deadlock_check_bench.cc (8x8 to 64x64, every
// algorithm), not asserted here: a wall-clock bound fails on a loaded or sanitized build.

TEST_P(MeshAlgorithms, UnicastIsUnchangedByTheMulticastMode) {
  for (const Topology& t : {Topology::mesh(6, 6), Topology::torus(5, 5)}) {
    const auto alg = testing::make_routing_if_defined(t, noc_config(GetParam()));
    if (alg == nullptr) continue;  // not defined on a torus
    const auto unicast = find_deadlock_cycle(t, *alg, 2);
    for (MulticastTrees mode : {MulticastTrees::kIndependent, MulticastTrees::kCoupled}) {
      if (alg->has_multicast_tree() && mode == MulticastTrees::kCoupled) continue;
      EXPECT_EQ(find_deadlock_cycle(t, *alg, 2, mode), unicast) << GetParam();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(DeadlockCheck, MeshAlgorithms, ::testing::ValuesIn(routing_names()),
                         [](const auto& info) { return info.param; });

TEST(DeadlockCheck, FindsTheCycleOfFullyAdaptiveMinimalRouting) {
  const Topology t = Topology::mesh(4, 4);
  const AllMinimalTurns alg(t);
  const auto cycle = find_deadlock_cycle(t, alg, 1);
  ASSERT_TRUE(cycle.has_value());
  EXPECT_EQ(cycle->rfind("router ", 0), 0u) << *cycle;
  EXPECT_NE(cycle->find(" -> back to router "), std::string::npos) << *cycle;
  EXPECT_NE(cycle->find("vc0"), std::string::npos) << *cycle;
  // More VCs do not help when every VC may be used everywhere.
  EXPECT_TRUE(find_deadlock_cycle(t, alg, 2).has_value());
}

TEST(DeadlockCheck, ReportedCycleClosesOnItself) {
  const Topology t = Topology::mesh(3, 3);
  const AllMinimalTurns alg(t);
  const std::string cycle = find_deadlock_cycle(t, alg, 1).value_or("");
  // "A -> B -> ... -> back to A": the first element reappears at the end.
  const std::string first = cycle.substr(0, cycle.find(" -> "));
  EXPECT_EQ(cycle.substr(cycle.size() - first.size()), first) << cycle;
  // A turn cycle on a mesh needs at least four channels.
  size_t arrows = 0;
  for (size_t p = cycle.find(" -> "); p != std::string::npos; p = cycle.find(" -> ", p + 1)) {
    ++arrows;
  }
  EXPECT_GE(arrows, 4u) << cycle;
}

TEST(DeadlockCheck, TorusDimensionOrderWithoutDatelinesIsCyclic) {
  // Rings of 4 too: their half-way ties go either way (the packet's coin), so two-hop runs chain
  // round the ring in both directions.
  for (const Topology& t : {Topology::torus(4, 4), Topology::torus(5, 5), Topology::torus(8, 8),
                            Topology::torus(6, 3)}) {
    for (const char* name : {"xy", "yx"}) {
      const auto alg = make_routing(t, noc_config(name, 1, /*allow_deadlock_prone=*/true));
      const auto cycle = find_deadlock_cycle(t, *alg, 1);
      ASSERT_TRUE(cycle.has_value()) << name << " on " << t.grid()->k_x << "x" << t.grid()->k_y;
    }
  }
}

TEST(DeadlockCheck, TorusDimensionOrderWithDatelinesIsAcyclic) {
  for (const Topology& t : {Topology::torus(4, 4), Topology::torus(5, 3), Topology::torus(8, 8)}) {
    for (const char* name : {"xy", "yx"}) {
      for (uint32_t vcs : {2u, 3u, 4u}) {
        const auto alg = make_routing(t, noc_config(name, vcs));
        const auto cycle = find_deadlock_cycle(t, *alg, vcs);
        EXPECT_FALSE(cycle.has_value()) << name << " " << vcs << " VCs: " << cycle.value_or("");
      }
    }
  }
}

TEST(DeadlockCheck, ShortestPathTableOnARingIsCyclic) {
  const std::string path = ::testing::TempDir() + "ring5.edges";
  {
    FILE* f = fopen(path.c_str(), "w");
    fputs("0 1\n1 2\n2 3\n3 4\n4 0\n", f);
    fclose(f);
  }
  const Topology ring = Topology::from_graph_file(path);
  EXPECT_TRUE(find_deadlock_cycle(ring, *make_routing(ring, noc_config("table")), 2).has_value());
  // A tree has no cycle to close.
  const std::string tree_path = ::testing::TempDir() + "tree.edges";
  {
    FILE* f = fopen(tree_path.c_str(), "w");
    fputs("0 1\n0 2\n1 3\n1 4\n2 5\n", f);
    fclose(f);
  }
  const Topology tree = Topology::from_graph_file(tree_path);
  EXPECT_FALSE(find_deadlock_cycle(tree, *make_routing(tree, noc_config("table")), 1).has_value());
}

TEST(DeadlockCheck, FindsNoCycleOnA32x32Mesh) {
  const Topology t = Topology::mesh(32, 32);
  EXPECT_FALSE(find_deadlock_cycle(t, *make_routing(t, noc_config("odd_even")), 2).has_value());
  EXPECT_FALSE(find_deadlock_cycle(t, *make_routing(t, noc_config("xy")), 2).has_value());
}

TEST(DeadlockCheck, ReportsAMisbehavingAlgorithm) {
  const Topology t = Topology::mesh(3, 3);
  EXPECT_THROW(find_deadlock_cycle(t, OffTheEdge(), 1), std::logic_error);
  EXPECT_THROW(find_deadlock_cycle(t, OffTheEdge(), 0), std::invalid_argument);
}

TEST(MulticastDeadlockCheck, CoupledXyTreeForksDeadlockAndTheCheckNamesTheCycle) {
  // Two sources in one row both fork east and west: each fork holds its west branch's channel
  // while its east branch waits behind the other fork, which does the same the other way.
  const Topology t = Topology::mesh(4, 4);
  const auto xy = make_routing(t, noc_config("xy"));
  ASSERT_TRUE(xy->has_multicast_tree());
  const auto cycle = find_deadlock_cycle(t, *xy, 2, MulticastTrees::kCoupled);
  ASSERT_TRUE(cycle.has_value());
  EXPECT_EQ(cycle->rfind("router ", 0), 0u) << *cycle;
  EXPECT_NE(cycle->find(" => "), std::string::npos) << *cycle;
  EXPECT_NE(cycle->find(" -> back to router "), std::string::npos) << *cycle;
  EXPECT_NE(cycle->find("multicast fork"), std::string::npos) << *cycle;
  // A row of four is the smallest place where it happens.
  const Topology row = Topology::mesh(4, 1);
  EXPECT_TRUE(
      find_deadlock_cycle(row, *make_routing(row, noc_config("xy")), 1, MulticastTrees::kCoupled)
          .has_value());
}

TEST(MulticastDeadlockCheck, EveryTreeRuleIsRefusedCoupledAndAcceptedWhenForksFitTheirBuffer) {
  const Topology t = Topology::mesh(4, 4);
  int trees = 0;
  for (const std::string& name : routing_registry().names()) {
    const auto alg = make_routing(t, noc_config(name));
    if (!alg->has_multicast_tree()) continue;
    ++trees;
    EXPECT_TRUE(find_deadlock_cycle(t, *alg, 2, MulticastTrees::kCoupled).has_value()) << name;
    EXPECT_EQ(find_deadlock_cycle(t, *alg, 2, MulticastTrees::kIndependent), std::nullopt) << name;
    EXPECT_EQ(find_deadlock_cycle(t, *alg, 2, MulticastTrees::kNone), std::nullopt) << name;
  }
  EXPECT_GE(trees, 2);  // xy and yx
  EXPECT_EQ(multicast_trees(true, 9, 8), MulticastTrees::kCoupled);
  EXPECT_EQ(multicast_trees(true, 8, 8), MulticastTrees::kIndependent);
  EXPECT_EQ(multicast_trees(false, 100, 8), MulticastTrees::kNone);
}

TEST(MulticastDeadlockCheck, ACycleOfOneForksSiblingsAloneIsNoDeadlock) {
  // In a row of three only the middle router forks (east and west): its two outputs depend on
  // each other, but neither leads on to a route edge back, so nothing can wait in a circle.
  const Topology t = Topology::mesh(3, 1);
  const auto xy = make_routing(t, noc_config("xy"));
  EXPECT_EQ(find_deadlock_cycle(t, *xy, 1, MulticastTrees::kCoupled), std::nullopt);
}

}  // namespace
}  // namespace nocsim::noc
