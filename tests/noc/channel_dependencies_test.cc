// The local turn sets against the route walk they replace: exactly the same dependencies on meshes
// and cmeshes, a superset on tori, for every registered algorithm.
#include "noc/channel_dependencies.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/noc/routing/all_routes.h"

namespace nocsim::noc {
namespace {

using testing::make_routing;
using testing::noc_config;

bool has_local_rule(const Topology& t, const RoutingAlgorithm& alg) {
  RouteChoices c;
  const Channel& ch = t.channels().at(0);
  return alg.local_turns(ch.dst, ch.dst_port, 0, c);
}

class EveryAlgorithm : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryAlgorithm, LocalTurnSetGivesExactlyTheDependenciesOfEveryRouteOnMeshes) {
  config::TopologyConfig cm;
  cm.set_kind("cmesh");
  cm.set_k_x(4);
  cm.set_k_y(3);
  cm.set_concentration(2);
  for (const Topology& t :
       {Topology::mesh(5, 4), Topology::mesh(6, 6), Topology::mesh(1, 5), Topology::mesh(4, 1),
        Topology::mesh(2, 2), Topology::from_config(cm)}) {
    for (uint32_t vcs : {1u, 2u}) {
      const auto alg = testing::make_routing_if_defined(t, noc_config(GetParam(), vcs));
      if (alg == nullptr) {
        EXPECT_EQ(vcs, 1u) << GetParam() << " refuses 2 VCs on a mesh";
        continue;  // needs VC classes (o1turn)
      }
      if (!has_local_rule(t, *alg)) continue;
      const auto local = route_dependencies(t, *alg, vcs, DependencySource::kLocalRule);
      const auto walked = route_dependencies(t, *alg, vcs, DependencySource::kEveryRoute);
      EXPECT_FALSE(walked.empty());
      EXPECT_EQ(local, walked) << GetParam() << " on " << t.grid()->k_x << "x" << t.grid()->k_y
                               << " with " << vcs << " VCs";
    }
  }
}

TEST_P(EveryAlgorithm, LocalTurnSetCoversEveryRouteOnTori) {
  for (const Topology& t : {Topology::torus(4, 4), Topology::torus(5, 3), Topology::torus(6, 7),
                            Topology::torus(2, 3), Topology::torus(8, 1)}) {
    for (uint32_t vcs : {1u, 2u, 3u}) {
      const auto alg = testing::make_routing_if_defined(
          t, noc_config(GetParam(), vcs, /*allow_deadlock_prone=*/vcs == 1));
      if (alg == nullptr) continue;  // not defined on a torus
      if (!has_local_rule(t, *alg)) continue;
      const auto local = route_dependencies(t, *alg, vcs, DependencySource::kLocalRule);
      const auto walked = route_dependencies(t, *alg, vcs, DependencySource::kEveryRoute);
      EXPECT_TRUE(std::includes(local.begin(), local.end(), walked.begin(), walked.end()))
          << GetParam() << " on a " << t.grid()->k_x << "x" << t.grid()->k_y << " torus";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ChannelDependencies, EveryAlgorithm,
                         ::testing::ValuesIn(routing_registry().names()),
                         [](const auto& info) { return info.param; });

TEST(ChannelDependencies, DimensionOrderAndTurnModelsStateALocalRuleOnMeshes) {
  const Topology t = Topology::mesh(4, 4);
  for (const char* name : {"xy", "yx", "west_first", "north_last", "negative_first", "odd_even"}) {
    EXPECT_TRUE(has_local_rule(t, *make_routing(t, noc_config(name)))) << name;
  }
}

}  // namespace
}  // namespace nocsim::noc
