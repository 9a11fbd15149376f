#include "pe/transfer.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace nocsim::pe
