// O1TURN: the coin picks XY or YX where the packet is injected, the VC class carries that choice
// to every later hop, and the two classes never share a VC.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/deadlock_check.h"
#include "noc/routing/routing_algorithm.h"
#include "tests/expect_user_error.h"
#include "tests/noc/routing/all_routes.h"

namespace nocsim::noc {
namespace {

using testing::make_routing;
using testing::noc_config;
using testing::walk;
using Hop = testing::Hop;

TEST(O1TurnRouting, TheCoinPicksXyOrYxAndTheClassKeepsIt) {
  const Topology t = Topology::mesh(4, 4);
  const auto alg = make_routing(t, noc_config("o1turn", 2));
  EXPECT_TRUE(alg->uses_coin());
  const RouterId from = t.grid()->at(0, 0), to = t.grid()->at(2, 3);
  const std::vector<Hop> xy = walk(t, *alg, from, to, 0);
  const std::vector<Hop> yx = walk(t, *alg, from, to, 1);
  ASSERT_EQ(xy.size(), 6u);  // five links, then ejection
  ASSERT_EQ(yx.size(), 6u);
  const std::vector<PortId> xy_ports{kEast, kEast, kNorth, kNorth, kNorth, kLocal};
  const std::vector<PortId> yx_ports{kNorth, kNorth, kNorth, kEast, kEast, kLocal};
  for (size_t i = 0; i + 1 < xy.size(); ++i) {
    EXPECT_EQ(xy[i].port, xy_ports[i]) << "hop " << i;
    EXPECT_EQ(xy[i].vc_mask, 0b01u) << "hop " << i;
    EXPECT_EQ(yx[i].port, yx_ports[i]) << "hop " << i;
    EXPECT_EQ(yx[i].vc_mask, 0b10u) << "hop " << i;
  }
  EXPECT_EQ(xy.back().port, kLocal);
  EXPECT_EQ(yx.back().port, kLocal);
}

TEST(O1TurnRouting, AfterTheFirstHopTheInputVcDecidesNotTheCoin) {
  const Topology t = Topology::mesh(4, 4);
  const auto alg = make_routing(t, noc_config("o1turn", 4));
  const RouterId at = t.grid()->at(1, 1), to = t.grid()->at(3, 3);
  for (uint8_t coin : {0, 1}) {
    for (uint8_t vc = 0; vc < 4; ++vc) {
      RouteChoices c;
      alg->route(RouteQuery{at, kWest, vc, t.grid()->at(0, 1), to, kLocal, coin}, c);
      ASSERT_EQ(c.count, 1);
      // VCs 0-1 carry XY packets (east first), VCs 2-3 YX packets (north first).
      EXPECT_EQ(c.choice[0].port, vc < 2 ? kEast : kNorth) << "vc " << int(vc);
      EXPECT_EQ(c.choice[0].vc_mask, vc < 2 ? 0b0011u : 0b1100u) << "vc " << int(vc);
    }
  }
}

TEST(O1TurnRouting, ClassesNeverShareAVcWithAnOddCount) {
  const Topology t = Topology::mesh(3, 3);
  const auto alg = make_routing(t, noc_config("o1turn", 3));
  RouteChoices xy, yx;
  alg->route(RouteQuery{0, kLocal, 0, 0, 8, kLocal, 0}, xy);
  alg->route(RouteQuery{0, kLocal, 0, 0, 8, kLocal, 1}, yx);
  EXPECT_EQ(xy.choice[0].vc_mask, 0b001u);
  EXPECT_EQ(yx.choice[0].vc_mask, 0b110u);
  EXPECT_EQ(find_deadlock_cycle(t, *alg, 3), std::nullopt);
}

TEST(O1TurnRouting, RefusesOneVcAndATorusNamingTheField) {
  const Topology mesh = Topology::mesh(4, 4);
  nocsim::testing::expect_user_error([&] { make_routing(mesh, noc_config("o1turn", 1)); },
                                     "noc.router.num_vcs", "at least 2 VCs");
  const Topology torus = Topology::torus(4, 4);
  nocsim::testing::expect_user_error([&] { make_routing(torus, noc_config("xy_yx", 2)); },
                                     "noc.routing.algorithm", "meshes");
}

// Without the classes, the same XY and YX paths form turn cycles: the classes are what make it
// deadlock free.
class BothOrdersAnyVc : public RoutingAlgorithm {
 public:
  explicit BothOrdersAnyVc(std::unique_ptr<RoutingAlgorithm> o1turn) : o1turn_(std::move(o1turn)) {}
  void route(const RouteQuery& q, RouteChoices& out) const override {
    RouteQuery first = q;
    first.in_port = kLocal;  // read as injected here: the coin decides at every hop
    o1turn_->route(first, out);
    for (uint8_t i = 0; i < out.count; ++i) out.choice[i].vc_mask = ~0u;
  }
  bool uses_coin() const override { return true; }

 private:
  std::unique_ptr<RoutingAlgorithm> o1turn_;
};

TEST(O1TurnRouting, IsDeadlockFreeOnlyThanksToItsClasses) {
  const Topology t = Topology::mesh(4, 4);
  EXPECT_EQ(find_deadlock_cycle(t, *make_routing(t, noc_config("o1turn", 2)), 2), std::nullopt);
  const BothOrdersAnyVc mixed(make_routing(t, noc_config("o1turn", 2)));
  EXPECT_TRUE(find_deadlock_cycle(t, mixed, 2).has_value());
}

}  // namespace
}  // namespace nocsim::noc
