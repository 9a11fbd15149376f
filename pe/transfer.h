#pragma once
// Turns a message into NoC packets: at most max_packet_flits flits each (one head flit + payload
// flits of flit_width_bits). A message is either sent at once (tile outputs) or streamed: each
// packet leaves once its last payload bit has come out of DRAM.
#include <cstdint>

#include "pe/dram/dram_model.h"
#include "pe/sim_context.h"

namespace nocsim::pe {

class Transfer {
 public:
  explicit Transfer(SimContext& ctx) : ctx_(ctx) {}

  // Registers the message and returns its id (the packets' tag).
  uint32_t create(Message m);
  // Every packet injected now.
  void send_now(uint32_t msg, uint64_t now);
  // Packets leave as the stream delivers their bits (Event::kSendPacket calls emit_packet).
  void stream(uint32_t msg, const DramStream& s);
  // Injects the message's next packet and schedules the one after it when streaming.
  void emit_packet(uint32_t msg);
  // Payload bits of the message's last packet (what arrives with the final delivery).
  uint64_t last_packet_bits(const Message& m) const;

 private:
  SimContext& ctx_;
};

}  // namespace nocsim::pe
