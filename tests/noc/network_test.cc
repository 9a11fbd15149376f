// The engine's API and timing: zero-load latency per hop, wormhole serialisation, idle skipping,
// config validation, and the stall watchdog.
#include "noc/network.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "configs/user_error.h"
#include "tests/noc/mesh_config.h"

namespace nocsim::noc {
namespace {

using testing::xy_mesh;

// Runs until the network is empty; returns the deliveries.
std::vector<Delivery> drain(Network& net, uint64_t limit = 100000) {
  std::vector<Delivery> out;
  for (uint64_t i = 0; i < limit && !net.empty(); ++i) {
    net.step();
    for (const Delivery& d : net.delivered()) out.push_back(d);
  }
  return out;
}

TEST(Network, ZeroLoadLatencyIsFiveCyclesPerRouterPlusTwo) {
  Network net(xy_mesh(8));
  const Topology& t = net.topology();
  const RouterId src = t.grid()->at(1, 2), dst = t.grid()->at(6, 5);
  net.inject({src, dst, 1, 0, 7});
  auto d = drain(net);
  ASSERT_EQ(d.size(), 1u);
  const uint32_t routers = t.distance(src, dst) + 1;
  EXPECT_EQ(d[0].hops, routers);
  EXPECT_EQ(d[0].tag, 7u);
  EXPECT_EQ(d[0].delivered - d[0].created, 5 * routers + 2);
  EXPECT_EQ(d[0].injected, d[0].created);
}

TEST(Network, PacketToItselfCrossesOneRouter) {
  Network net(xy_mesh(4));
  net.inject({5, 5, 1, 0, 1});
  auto d = drain(net);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].hops, 1u);
  EXPECT_EQ(d[0].delivered - d[0].created, 7u);
}

TEST(Network, BodyFlitsFollowTheHeadOnePerCycle) {
  Network net(xy_mesh(4));
  net.inject({0, 15, 5, 0, 1});
  std::vector<uint64_t> eject_cycles;
  while (!net.empty()) {
    net.step();
    for (const FlitEjection& f : net.ejected_flits()) eject_cycles.push_back(f.cycle);
  }
  ASSERT_EQ(eject_cycles.size(), 5u);
  EXPECT_EQ(eject_cycles[0], 5u * 7 + 2);  // 7 routers corner to corner
  for (size_t i = 1; i < eject_cycles.size(); ++i)
    EXPECT_EQ(eject_cycles[i], eject_cycles[i - 1] + 1);
}

TEST(Network, PipelineDelaysAreParameters) {
  auto cfg = xy_mesh(4);
  cfg.mutable_router()->set_routing_delay(0);
  cfg.mutable_router()->set_link_delay(2);
  Network net(cfg);
  net.inject({0, 3, 1, 0, 1});  // 4 routers
  auto d = drain(net);
  ASSERT_EQ(d.size(), 1u);
  // Per router 0 + 1 + 1 + 1 + 2 = 5; injection takes link + 1 = 3; no routing at ejection.
  EXPECT_EQ(d[0].delivered - d[0].created, 4u * 5 + 3);
}

TEST(Network, IdleNetworkFastForwards) {
  Network net(xy_mesh(4));
  net.inject({0, 1, 1, 0, 1});
  drain(net);
  EXPECT_TRUE(net.empty());
  net.skip_idle_until(1'000'000);
  EXPECT_EQ(net.cycle(), 1'000'000u);
  EXPECT_TRUE(net.credits_restored());
  net.inject({1, 0, 1, 0, 2});
  auto d = drain(net);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].created, 1'000'000u);
  EXPECT_EQ(d[0].delivered - d[0].created, 5u * 2 + 2);
}

TEST(Network, CountsFlitsPerTrafficClass) {
  Network net(xy_mesh(4));
  net.inject({0, 5, 3, 2, 1});
  net.inject({1, 6, 2, 0, 2});
  drain(net);
  const auto& c = net.counters();
  ASSERT_GE(c.class_flits_ejected.size(), 3u);
  EXPECT_EQ(c.class_flits_ejected[0], 2u);
  EXPECT_EQ(c.class_flits_ejected[2], 3u);
  EXPECT_EQ(c.flits_injected, 5u);
  EXPECT_EQ(c.flits_ejected, 5u);
}

TEST(Network, RejectsBadRouterConfigNamingTheField) {
  auto expect_field = [](config::NocConfig cfg, const std::string& field) {
    try {
      Network net(cfg);
      FAIL() << "expected a UserError on " << field;
    } catch (const UserError& e) {
      EXPECT_EQ(e.field(), field) << e.what();
    }
  };
  expect_field(xy_mesh(4, 0), "noc.router.num_vcs");
  expect_field(xy_mesh(4, 2, 0), "noc.router.vc_buf_size");
  auto c = xy_mesh(4);
  c.mutable_router()->set_vc_alloc_delay(0);
  expect_field(c, "noc.router.vc_alloc_delay");
  c = xy_mesh(4);
  c.mutable_router()->set_link_delay(0);
  expect_field(c, "noc.router.link_delay");
  c = xy_mesh(4);
  c.mutable_routing()->set_algorithm("no_such_routing");
  expect_field(c, "noc.routing.algorithm");
}

TEST(Network, RejectsBadPackets) {
  Network net(xy_mesh(4));
  EXPECT_THROW(net.inject({0, 16, 1, 0, 0}), UserError);
  EXPECT_THROW(net.inject({16, 0, 1, 0, 0}), UserError);
  EXPECT_THROW(net.inject({0, 1, 0, 0, 0}), UserError);
  EXPECT_THROW(net.inject({0, 1, 1, kMaxTrafficClasses, 0}), UserError);
  net.inject({0, 1, 1, kMaxTrafficClasses - 1, 0});  // the largest class is fine
}

TEST(Network, LargeMeshesAreAllowed) {
  Network net(xy_mesh(64));
  net.inject({0, 64 * 64 - 1, 1, 0, 1});
  auto d = drain(net);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].hops, 127u);
}

TEST(Network, WatchdogReportsWhatWaitsOnWhat) {
  // A torus ring with one VC and no datelines deadlocks under heavy traffic; the watchdog must
  // stop the run and say which VCs hold which packets, instead of hanging.
  config::NocConfig cfg;
  cfg.mutable_topology()->set_kind("torus");
  cfg.mutable_topology()->set_k_x(8);
  cfg.mutable_topology()->set_k_y(1);
  cfg.mutable_router()->set_num_vcs(1);
  cfg.mutable_router()->set_vc_buf_size(1);
  cfg.mutable_routing()->set_algorithm("xy");
  cfg.mutable_routing()->set_allow_deadlock_prone(true);
  Network net(cfg, /*watchdog_cycles=*/200);
  bool stalled = false;
  try {
    for (int cycle = 0; cycle < 20000; ++cycle) {
      // Three hops, always the positive way round: every channel of the ring is wanted.
      for (uint32_t s = 0; s < 8; ++s) net.inject({s, (s + 3) % 8, 4, 0, 0});
      net.step();
    }
  } catch (const NetworkStalled& e) {
    stalled = true;
    const std::string msg = e.what();
    EXPECT_NE(msg.find("no flit moved"), std::string::npos) << msg;
    EXPECT_NE(msg.find("router"), std::string::npos) << msg;
    EXPECT_NE(msg.find("waits for"), std::string::npos) << msg;
  }
  EXPECT_TRUE(stalled);
}

}  // namespace
}  // namespace nocsim::noc
