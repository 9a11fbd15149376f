#pragma once
// The router stages that every allocator shares: route computation when a head is buffered
// (deposit), the bookkeeping of a VC grant, and switch traversal of a granted flit (send), for
// unicast packets and for multicast forks; plus the start-of-cycle delivery of due events and the
// loop over the routers that have work. An allocator (allocator.h) decides only who wins.
#include <bit>
#include <cstdint>

#include "noc/network_state.h"

namespace nocsim::noc::detail {

// Round-robin choice among the set bits of `mask` (non-zero): the first at or after `ptr`,
// wrapping around.
inline uint32_t pick_from(uint64_t mask, uint32_t ptr) {
  const uint64_t upper = mask & (~0ull << ptr);
  return static_cast<uint32_t>(std::countr_zero(upper ? upper : mask));
}

// Distance from round-robin pointer `ptr` forward to `a`, both below `n`.
inline uint32_t rr_distance(uint32_t a, uint32_t ptr, uint32_t n) {
  return a >= ptr ? a - ptr : a + n - ptr;
}

// Credits and flits due this cycle: credits return, flits are buffered (heads routed), flits due at
// a terminal are ejected. Also lists the routers woken for this cycle.
void deliver_due_events(NetState& s);

// Input VC `ivc` of router r got output VC `v` of its port `port` (for a fork: of that branch).
void grant_output_vc(NetState& s, RouterId r, uint32_t ivc, uint32_t port, uint32_t v);

// Moves the front flit of `ivc` (input port `in_port` of router r) through the switch to its
// output port (unicast).
void send(NetState& s, RouterId r, PortId in_port, uint32_t ivc);
// Each branch port in `ports` of the fork at `ivc` sends the next flit at its own position
// (branches at the same position share one buffer read: replication in the crossbar); flits every
// branch has sent leave the buffer.
void send_fork(NetState& s, RouterId r, PortId in_port, uint32_t ivc, uint64_t ports);

// Output ports of a fork that may request the switch now: allocated, tail not yet sent, a flit
// buffered at the branch's position, and a downstream credit.
inline uint64_t fork_requests(const NetState& s, uint32_t ivc, uint32_t base_port) {
  const McFork& f = s.forks[s.fork[ivc]];
  const uint16_t buffered = s.buf_count[ivc];
  uint64_t ok = 0;
  for (uint64_t rest = f.ports & ~f.va_pending & ~f.tail_sent; rest != 0; rest &= rest - 1) {
    const uint32_t op = static_cast<uint32_t>(std::countr_zero(rest));
    if (f.pos[op] < buffered && s.credits[(base_port + op) * s.V + f.out_vc[op]] > 0)
      ok |= 1ull << op;
  }
  return ok;
}

// Runs `allocate(r)` on every router with work this cycle; `allocate` returns true when the router
// still has a ready request it could not serve, which keeps it listed for the next cycle.
template <class Fn>
void visit_routers(NetState& s, Fn&& allocate) {
  s.next_visit.clear();
  for (RouterId r : s.visit) {
    if (allocate(r)) s.next_visit.push_back(r);
  }
  s.visit.swap(s.next_visit);
  for (RouterId r : s.visit) s.listed_for[r] = s.now + 2;  // listed for cycle now + 1
}

}  // namespace nocsim::noc::detail
