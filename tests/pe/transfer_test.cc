#include "pe/transfer.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

TEST(Transfer, CutsAMessageIntoPacketsOfAtMostMaxFlits) {
  const config::Scenario sc = testing::default_study();
  noc::Network net(sc.noc(), 100000);
  AcceleratorParams p;
  p.max_packet_flits = 4;  // 3 payload flits of 128 bits = 384 bits per packet
  p.flit_width_bits = 128;
  SimContext ctx(p, net);
  Transfer tr(ctx);
  Message m;
  m.src_node = 0;
  m.dst_node = 5;
  m.payload_bits = 1000;  // 384 + 384 + 232
  const uint32_t id = tr.create(m);
  EXPECT_EQ(ctx.messages[id].packets_left, 3u);
  EXPECT_EQ(tr.last_packet_bits(ctx.messages[id]), 232u);
  tr.send_now(id, 0);
  uint64_t flits = 0, packets = 0;
  while (!net.empty()) {
    net.step();
    for (const noc::Delivery& d : net.delivered()) {
      EXPECT_EQ(d.tag, id);
      EXPECT_EQ(d.dest, 5u);
      flits += d.size_flits;
      ++packets;
    }
  }
  EXPECT_EQ(packets, 3u);
  EXPECT_EQ(flits, 4u + 4u + 3u);  // 232 bits = 2 payload flits + head
}

// Tiles 1, 4, 6 and 10 of the default study's 12 get one 1000-bit message from router 0 (an MC).
struct MulticastRun {
  std::map<uint32_t, uint32_t> packets_at;  // terminal -> packets delivered there
  std::map<uint32_t, uint32_t> flits_at;
  uint32_t messages = 0;
  uint64_t flits_injected = 0;
};

MulticastRun send_to_four_tiles(bool multicast) {
  const config::Scenario sc = testing::default_study();
  noc::Network net(sc.noc(), 100000);
  AcceleratorParams p;
  p.pe_nodes = {1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14};
  p.max_packet_flits = 16;
  p.flit_width_bits = 128;
  p.multicast = multicast;
  SimContext ctx(p, net);
  Transfer tr(ctx);
  Message m;
  m.kind = Message::kActivations;
  m.src_node = 0;
  m.payload_bits = 1000;
  const std::vector<uint32_t> tiles = {0, 2, 4, 8};  // routers 1, 4, 6, 10
  const auto ids = tr.create_for(m, tiles);
  MulticastRun r;
  r.messages = static_cast<uint32_t>(ids.size());
  for (uint32_t id : std::vector<uint32_t>(ids.begin(), ids.end())) tr.send_now(id, 0);
  while (!net.empty()) {
    net.step();
    for (const noc::Delivery& d : net.delivered()) {
      EXPECT_EQ(d.multicast, multicast);
      ++r.packets_at[d.dest];
      r.flits_at[d.dest] += d.size_flits;
    }
  }
  r.flits_injected = ctx.counters.flits_injected;
  return r;
}

TEST(Transfer, MulticastReachesExactlyItsTilesWithTheWholeMessageOnce) {
  const MulticastRun on = send_to_four_tiles(true);
  const MulticastRun off = send_to_four_tiles(false);
  EXPECT_EQ(on.messages, 1u);
  EXPECT_EQ(off.messages, 4u);
  const std::map<uint32_t, uint32_t> none;
  for (const MulticastRun* r : {&on, &off}) {
    ASSERT_EQ(r->packets_at.size(), 4u);
    for (uint32_t node : {1u, 4u, 6u, 10u}) ASSERT_TRUE(r->packets_at.count(node)) << node;
  }
  // The default mesh's multicast packets are at most max_multicast_flits() flits (the VC buffer),
  // so 1000 bits = 8 payload flits need more packets than one 16-flit unicast packet.
  const config::Scenario sc = testing::default_study();
  noc::Network net(sc.noc(), 100000);
  const uint32_t mf = net.max_multicast_flits();
  const uint32_t per_packet = mf - 1, payload_flits = 8;
  const uint32_t packets = (payload_flits + per_packet - 1) / per_packet;
  for (const auto& [node, n] : on.packets_at) {
    EXPECT_EQ(n, packets) << node;
    EXPECT_EQ(on.flits_at.at(node), payload_flits + packets) << node;  // one head per packet
  }
  for (const auto& [node, n] : off.packets_at) {
    EXPECT_EQ(n, 1u) << node;
    EXPECT_EQ(off.flits_at.at(node), payload_flits + 1) << node;
  }
  // The source injects the multicast message's flits once, the unicast copies four times.
  EXPECT_EQ(on.flits_injected, payload_flits + packets);
  EXPECT_EQ(off.flits_injected, 4u * (payload_flits + 1));
}

TEST(Transfer, OneTileOrMulticastOffGivesUnicastMessages) {
  const config::Scenario sc = testing::default_study();
  noc::Network net(sc.noc(), 100000);
  AcceleratorParams p;
  p.pe_nodes = {1, 2, 4};
  SimContext ctx(p, net);
  Transfer tr(ctx);
  Message m;
  m.src_node = 0;
  m.payload_bits = 10;
  const std::vector<uint32_t> one = {2};
  const auto ids = tr.create_for(m, one);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ctx.messages[ids[0]].dests_count, 0u);
  EXPECT_EQ(ctx.messages[ids[0]].dst_node, 4u);
}

}  // namespace
}  // namespace nocsim::pe
