#pragma once
// The network interfaces: a terminal's unbounded source queue, injection of one flit per cycle
// into its router's terminal port, and ejection (flit and packet deliveries). Multicast packets
// enter here too: as one packet with a destination set when the routers build trees, or as one
// unicast copy per destination, sent one after another, when they do not.
#include <cstdint>

#include "noc/network_state.h"

namespace nocsim::noc::detail {

// Validates and queues a packet created at the current cycle (UserError on a bad field).
void create_packet(NetState& s, const PacketSpec& spec);
// Every interface with work injects at most one flit.
void step_interfaces(NetState& s);
// Terminal t takes flit f.
void eject(NetState& s, uint32_t t, const Flit& f);

}  // namespace nocsim::noc::detail
