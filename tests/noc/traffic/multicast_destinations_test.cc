// Synthetic multicast traffic: who a multicast packet goes to, and what run_traffic measures.
#include "noc/traffic/multicast_destinations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "configs/user_error.h"
#include "noc/simulation.h"

namespace nocsim::noc {
namespace {

config::MulticastTrafficConfig mc(const char* pattern, double fraction = 1.0, uint32_t k = 0) {
  config::MulticastTrafficConfig c;
  c.set_fraction(fraction);
  c.set_pattern(pattern);
  if (k) c.set_destinations(k);
  return c;
}

TEST(MulticastDestinations, PatternsNameTheRightTerminals) {
  const Topology t = Topology::mesh(4, 4);
  Rng rng(1);
  std::vector<uint32_t> out;
  ASSERT_TRUE(MulticastDestinations(t, mc("row")).draw(5, rng, out));
  EXPECT_EQ(out, (std::vector<uint32_t>{4, 6, 7}));
  ASSERT_TRUE(MulticastDestinations(t, mc("column")).draw(5, rng, out));
  EXPECT_EQ(out, (std::vector<uint32_t>{1, 9, 13}));
  ASSERT_TRUE(MulticastDestinations(t, mc("broadcast")).draw(5, rng, out));
  EXPECT_EQ(out.size(), 15u);
  const MulticastDestinations random(t, mc("random", 1.0, 6));
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(random.draw(5, rng, out));
    const std::set<uint32_t> distinct(out.begin(), out.end());
    EXPECT_EQ(distinct.size(), 6u);
    EXPECT_EQ(distinct.count(5), 0u);
    EXPECT_LT(*distinct.rbegin(), 16u);
  }
}

TEST(MulticastDestinations, FractionIsTheShareOfPackets) {
  const Topology t = Topology::mesh(4, 4);
  const MulticastDestinations some(t, mc("random", 0.25, 3));
  Rng rng(2);
  std::vector<uint32_t> out;
  int hits = 0;
  for (int i = 0; i < 20000; ++i) hits += some.draw(0, rng, out);
  EXPECT_NEAR(hits / 20000.0, 0.25, 0.01);
  EXPECT_FALSE(MulticastDestinations(t, mc("random", 0.0)).enabled());
}

TEST(MulticastDestinations, BadFieldsAreUserErrors) {
  const Topology t = Topology::mesh(4, 4);
  EXPECT_THROW(MulticastDestinations(t, mc("random", 1.5)), UserError);
  EXPECT_THROW(MulticastDestinations(t, mc("diagonal")), UserError);
  EXPECT_THROW(MulticastDestinations(t, mc("random", 0.5, 16)), UserError);
  EXPECT_THROW(MulticastDestinations(t, mc("random", 0.5, 1)), UserError);
  // The default count (8) is checked only when random multicast is on: a 2x2 mesh (3 other
  // terminals) runs unicast traffic, and refuses random multicast with the default count.
  const Topology small = Topology::mesh(2, 2);
  EXPECT_FALSE(MulticastDestinations(small, mc("random", 0.0)).enabled());
  EXPECT_NO_THROW(MulticastDestinations(small, mc("broadcast", 0.5)));
  EXPECT_THROW(MulticastDestinations(small, mc("random", 0.5)), UserError);
  EXPECT_THROW(MulticastDestinations(small, mc("random", 0.0, 9)), UserError);
}

config::NocResult run(const char* mode, double rate, uint32_t packet_size = 4) {
  config::NocConfig noc;
  noc.mutable_topology()->set_k_x(8);
  noc.mutable_multicast()->set_mode(mode);
  config::TrafficConfig traffic;
  traffic.set_injection_rate(rate);
  traffic.set_packet_size(packet_size);
  *traffic.mutable_multicast() = mc("random", 0.1, 8);
  config::SimConfig sim;
  sim.set_seed(3);
  return run_traffic(noc, traffic, sim, config::TechConfig());
}

TEST(MulticastTraffic, TreesBeatUnicastCopiesAndRunsRepeat) {
  const config::NocResult tree = run("tree", 0.15), copies = run("unicast", 0.15);
  EXPECT_GT(tree.multicast_packets(), 100u);
  EXPECT_GT(tree.multicast_destination_latency().count(), 7 * tree.multicast_packets());
  EXPECT_LT(tree.multicast_destination_latency().mean(),
            copies.multicast_destination_latency().mean());
  EXPECT_LT(tree.packet_latency().mean(), copies.packet_latency().mean());
  // The same load is offered and accepted (every copy counts as accepted).
  EXPECT_NEAR(tree.accepted_flits_per_node_cycle(), copies.accepted_flits_per_node_cycle(), 0.01);
  config::NocResult again = run("tree", 0.15);
  again.clear_wall_seconds();
  config::NocResult first = tree;
  first.clear_wall_seconds();
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  // Packets longer than a fork's buffer are refused before the run.
  EXPECT_THROW(run("tree", 0.05, 9), UserError);
}

}  // namespace
}  // namespace nocsim::noc
