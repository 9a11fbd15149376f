// The accelerator's NoC latency by kind of packet: every packet counted once, in its kind, with
// statistics that agree with the packets' own timing; kinds the run did not send are absent.
#include <gtest/gtest.h>

#include "parts_test_util.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;

uint64_t count(const config::PacketLatency& l) {
  return l.packet().count();
}

TEST(PacketLatency, EveryPacketIsCountedOnceInItsKind) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_multicast(false);  // unicast: one delivery per packet
  const config::AcceleratorResult r = run(sc);
  const config::AcceleratorNocLatency& l = r.noc_latency();
  ASSERT_TRUE(l.has_weights() && l.has_activations() && l.has_input() && l.has_output());
  EXPECT_FALSE(l.has_spill()) << "no activation buffer bound: nothing spills";
  EXPECT_EQ(count(l.weights()), r.weight_packets());
  EXPECT_EQ(count(l.activations()) + count(l.input()) + count(l.output()), r.activation_packets());
  EXPECT_EQ(count(l.all()), r.weight_packets() + r.activation_packets());
  for (const config::PacketLatency* k :
       {&l.all(), &l.weights(), &l.activations(), &l.input(), &l.output()}) {
    EXPECT_EQ(k->network().count(), k->packet().count());
    // Source queueing only adds: a packet's latency is at least its network latency.
    EXPECT_GE(k->packet().mean(), k->network().mean());
    EXPECT_GE(k->packet().max(), k->packet().p99());
    EXPECT_GE(k->packet().p99(), k->packet().p50());
    EXPECT_GE(k->network().p50(), 2.0) << "at least a hop and a flit";
  }
  // Weights stream from DRAM faster than the network drains them into a tile: they queue.
  EXPECT_GT(l.weights().packet().mean(), l.weights().network().mean());
}

TEST(PacketLatency, MulticastPacketsCountOnceToTheirLastDestination) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_multicast(true);
  const config::AcceleratorResult r = run(sc);
  const config::AcceleratorNocLatency& l = r.noc_latency();
  EXPECT_EQ(count(l.weights()), r.weight_packets());
  // activation_packets counts every destination of a multicast packet; here each packet is one.
  EXPECT_LT(count(l.activations()) + count(l.input()) + count(l.output()), r.activation_packets());
  EXPECT_GT(count(l.input()), 0u);
}

}  // namespace
}  // namespace nocsim::pe
