#include "noc/router_pipeline.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "noc/network_interface.h"

namespace nocsim::noc::detail {

// A multicast head gets the set of ports its tree forks to here; a set of one port needs no fork
// record.
void compute_route(NetState& s, uint32_t ivc, RouterId r, PortId p, const Flit& f) {
  if (f.flags & kMulticastFlit) {
    const McGroup& g = s.groups[s.packets[f.packet].group];
    const uint64_t ports = s.routing->multicast_ports(r, p, g.dests);
    if (ports == 0) {
      throw std::logic_error("multicast tree rule returned no port at router " + std::to_string(r));
    }
    s.vin[ivc].route_mask = ~0u;
    if ((ports & (ports - 1)) == 0) {
      s.vin[ivc].out_port = static_cast<uint8_t>(std::countr_zero(ports));
      return;
    }
    const uint32_t k = s.new_fork();
    McFork& fk = s.forks[k];
    fk.ports = ports;
    fk.va_pending = ports;
    fk.tail_sent = 0;
    for (uint64_t rest = ports; rest != 0; rest &= rest - 1) fk.pos[std::countr_zero(rest)] = 0;
    s.vin[ivc].fork = k;
    return;
  }
  if (s.use_table) {
    s.vin[ivc].out_port = s.route_table[size_t(r) * s.T + f.dest];
    s.vin[ivc].route_mask = ~0u;
    return;
  }
  RouteChoices rc;
  s.routing->route(
      RouteQuery{r, p, static_cast<uint8_t>(ivc % s.V), s.topo.terminal_router(f.source),
                 s.topo.terminal_router(f.dest), s.topo.terminal_port(f.dest), f.coin},
      rc);
  if (rc.count == 0) {
    throw std::logic_error("routing algorithm returned no route at router " + std::to_string(r) +
                           " for destination " + std::to_string(f.dest));
  }
  s.vin[ivc].out_port = rc.choice[0].port;
  s.vin[ivc].route_mask = rc.choice[0].vc_mask;
  if (s.adaptive) s.route_choices[ivc] = rc;
}

namespace {

inline void deposit(NetState& s, uint32_t ivc, const Flit& f) {
  InputVc& in = s.vin[ivc];
  const uint16_t n = in.buf_count;
  uint32_t at = in.buf_head + n;
  if (at >= s.B) at -= s.B;
  s.flit_at(ivc, at) = f;
  in.buf_count = n + 1;
  ++s.counters.buffer_writes;
  if (in.state == kIdle) {
    start_packet(s, ivc, in.router, in.port, f,
                 s.now + s.rp.routing_delay + s.rp.vc_alloc_delay - 1);
  } else if (in.state == kActive && n == 0) {
    in.ready = s.now + s.rp.sw_alloc_delay - 1;
    s.wake_at(ivc, in.ready);
  }
}

}  // namespace

void deliver_due_events(NetState& s) {
  s.delivered.clear();
  s.ejected.clear();
  const uint64_t slot = s.now & s.wheel_mask;
  // Whether a credit goes to an interface or a router is data: the counter is picked without a
  // branch.
  const uintptr_t ni = reinterpret_cast<uintptr_t>(s.ni_credits.data());
  const uintptr_t routers =
      reinterpret_cast<uintptr_t>(s.vout.data()) + offsetof(OutputVc, credits);
  for (uint32_t c : s.credit_events[slot]) {
    const uint32_t i = c & ~NetState::kNiBit;
    ++*pick_address<int32_t>(c & NetState::kNiBit, ni + uintptr_t(i) * sizeof(int32_t),
                             routers + uintptr_t(i) * sizeof(OutputVc));
  }
  s.credit_events[slot].clear();
  for (const FlitEvent& e : s.arrivals[slot]) deposit(s, e.target, e.flit);
  s.arrivals[slot].clear();
  for (const FlitEvent& e : s.ejections[slot]) {
    // The terminal sinks flits at once and returns the ejection buffer slot.
    s.credit_events[(s.now + s.credit_flight) & s.wheel_mask].push_back(e.target);
    eject(s, e.flit.dest, e.flit);
  }
  s.ejections[slot].clear();
  for (uint32_t ivc : s.wake[slot]) {
    // Every wake-up lists its router, even one made stale by a later ready cycle: the order of
    // the visits stays the order of the wake-ups.
    s.list_router(s.vin[ivc].router);
    if (s.vin[ivc].ready <= s.now) s.enlist(ivc);
  }
  s.wake[slot].clear();
}

void send_fork(NetState& s, RouterId r, PortId in_port, uint32_t ivc, uint64_t ports) {
  const uint32_t base_port = s.base_port(r);
  const uint32_t k = s.vin[ivc].fork;
  uint64_t read = 0;  // buffer positions read this cycle (positions stay below B <= 64)
  for (uint64_t rest = ports; rest != 0; rest &= rest - 1) {
    const uint32_t op = static_cast<uint32_t>(std::countr_zero(rest));
    McFork& fk = s.forks[k];
    uint32_t at = s.vin[ivc].buf_head + fk.pos[op];
    if (at >= s.B) at -= s.B;
    const Flit& f = s.flit_at(ivc, at);
    const uint32_t ovc = (base_port + op) * s.V + fk.out_vc[op];
    read |= 1ull << fk.pos[op];
    ++fk.pos[op];
    if (f.flags & kTail) {
      fk.tail_sent |= 1ull << op;
      release_output_vc(s, base_port + op, ovc);
    }
    traverse(s, base_port, op, ovc, f);
  }
  s.counters.buffer_reads += static_cast<uint64_t>(std::popcount(read));
  s.last_move = s.now;
  // Flits every branch has sent leave the buffer (a branch still without a VC has sent none).
  McFork& fk = s.forks[k];
  uint16_t done = 0xffff;
  for (uint64_t rest = fk.ports; rest != 0; rest &= rest - 1)
    done = std::min(done, fk.pos[std::countr_zero(rest)]);
  const bool complete = fk.tail_sent == fk.ports;
  for (uint64_t rest = fk.ports; rest != 0; rest &= rest - 1)
    fk.pos[std::countr_zero(rest)] -= done;
  if (complete) {
    s.free_fork(k);
    s.vin[ivc].fork = kNone;
  }
  for (uint16_t i = 0; i < done; ++i) pop_front(s, r, in_port, ivc, complete && i + 1 == done);
  if (done == 0 || (!complete && s.vin[ivc].buf_count > 0)) {
    // Branches ahead of the others, or that lost the switch, try again next cycle.
    s.vin[ivc].ready = s.now + s.rp.sw_alloc_delay;
    s.wake_at(ivc, s.vin[ivc].ready);
  }
}

}  // namespace nocsim::noc::detail
