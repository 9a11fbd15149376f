#include "pe/transfer.h"

#include <algorithm>
#include <cmath>

namespace nocsim::pe {

uint64_t Transfer::packet_payload_bits(const Message& m) const {
  if (m.dests_count == 0) return ctx_.p.packet_payload_bits();
  const uint32_t flits = std::min(ctx_.p.max_packet_flits, ctx_.net.max_multicast_flits());
  return static_cast<uint64_t>(flits - 1) * ctx_.p.flit_width_bits;
}

uint32_t Transfer::create(Message m) {
  m.packets_left = static_cast<uint32_t>(
      std::max<uint64_t>(1, ceil_div(m.payload_bits, packet_payload_bits(m))));
  for (uint32_t i = 0; i < m.dests_count; ++i)
    ctx_.dests[m.dests_first + i].packets_left = m.packets_left;
  ctx_.messages.push_back(m);
  return static_cast<uint32_t>(ctx_.messages.size() - 1);
}

std::span<const uint32_t> Transfer::create_for(Message m, std::span<const uint32_t> tiles) {
  created_.clear();
  if (ctx_.p.multicast && tiles.size() >= 2 && ctx_.net.max_multicast_flits() >= 2) {
    m.dests_first = static_cast<uint32_t>(ctx_.dests.size());
    m.dests_count = static_cast<uint32_t>(tiles.size());
    for (uint32_t t : tiles) {
      ctx_.dests.push_back({.tile = t, .node = ctx_.p.pe_nodes[t]});
      ctx_.dest_nodes.push_back(ctx_.p.pe_nodes[t]);
    }
    created_.push_back(create(m));
    return created_;
  }
  for (uint32_t t : tiles) {
    m.dst = t;
    m.dst_node = ctx_.p.pe_nodes[t];
    created_.push_back(create(m));
  }
  return created_;
}

void Transfer::send_now(uint32_t msg, uint64_t now) {
  Message& m = ctx_.messages[msg];
  m.data_start = now;
  m.bits_per_cycle = 0;
  do {
    emit_packet(msg);
  } while (m.sent_bits < m.payload_bits);
}

void Transfer::stream(uint32_t msg, const DramStream& s) {
  Message& m = ctx_.messages[msg];
  m.data_start = s.start;
  m.bits_per_cycle = s.bits_per_cycle;
  const uint64_t first = std::min(m.payload_bits, packet_payload_bits(m));
  ctx_.events.push(Event::kSendPacket,
                   s.start + static_cast<uint64_t>(std::ceil(first / s.bits_per_cycle)), msg);
}

void Transfer::emit_packet(uint32_t msg) {
  Message& m = ctx_.messages[msg];
  const uint64_t payload = packet_payload_bits(m);
  const uint64_t bits = std::min(m.payload_bits - m.sent_bits, payload);
  m.sent_bits += bits;
  const uint32_t flits = 1 + static_cast<uint32_t>(ceil_div(bits, ctx_.p.flit_width_bits));
  ctx_.counters.flits_injected += flits;
  ctx_.injected_flits[m.src_node] += flits;
  const noc::PacketSpec packet{
      .source = m.src_node,
      .dest = m.dst_node,
      .size_flits = flits,
      .traffic_class = m.traffic_class(),
      .tag = msg,
      .dests = std::span<const uint32_t>(ctx_.dest_nodes).subspan(m.dests_first, m.dests_count)};
  if (ctx_.trace) ctx_.trace->record(ctx_.net.cycle(), packet, m.kind);
  ctx_.net.inject(packet);
  if (m.bits_per_cycle > 0 && m.sent_bits < m.payload_bits) {
    const uint64_t next = std::min(m.payload_bits, m.sent_bits + payload);
    ctx_.events.push(Event::kSendPacket,
                     m.data_start + static_cast<uint64_t>(std::ceil(next / m.bits_per_cycle)), msg);
  }
}

uint64_t Transfer::last_packet_bits(const Message& m) const {
  if (m.payload_bits == 0) return 0;
  const uint64_t payload = packet_payload_bits(m);
  return m.payload_bits - (ceil_div(m.payload_bits, payload) - 1) * payload;
}

}  // namespace nocsim::pe
