#pragma once
// Turns a message into NoC packets: at most max_packet_flits flits each (one head flit + payload
// flits of flit_width_bits), and at most the network's max_multicast_flits() for a multicast
// message (one packet to several tiles). A message is either sent at once (tile outputs) or
// streamed: each packet leaves once its last payload bit has come out of DRAM.
#include <cstdint>
#include <span>

#include "pe/dram/dram_model.h"
#include "pe/sim_context.h"

namespace nocsim::pe {

class Transfer {
 public:
  explicit Transfer(SimContext& ctx) : ctx_(ctx) {}

  // Registers the message and returns its id (the packets' tag).
  uint32_t create(Message m);
  // The same message to every tile of `tiles` (distinct, not on m.src_node): one multicast
  // message when accelerator.multicast is on, the network can carry multicast packets and there
  // are two tiles or more; otherwise one unicast message per tile. Returns the ids created.
  std::span<const uint32_t> create_for(Message m, std::span<const uint32_t> tiles);
  // Every packet injected now.
  void send_now(uint32_t msg, uint64_t now);
  // Packets leave as the stream delivers their bits (Event::kSendPacket calls emit_packet).
  void stream(uint32_t msg, const DramStream& s);
  // Injects the message's next packet and schedules the one after it when streaming.
  void emit_packet(uint32_t msg);
  // Payload bits of the message's last packet (what arrives with the final delivery).
  uint64_t last_packet_bits(const Message& m) const;
  // Payload bits one packet of the message carries.
  uint64_t packet_payload_bits(const Message& m) const;

 private:
  SimContext& ctx_;
  std::vector<uint32_t> created_;
};

}  // namespace nocsim::pe
