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
// wrapping around. A pointer past the last bit (a grant at the last position moves it there
// without a wrap test) is the same as 0, here and in rr_distance.
inline uint32_t pick_from(uint64_t mask, uint32_t ptr) {
  const uint64_t upper = mask & (~0ull << (ptr & 63));  // 64 (past the last of 64) is 0
  // Whether a set bit lies at or after the pointer is data (a branch here mispredicted often),
  // and the word scanned is never 0 (std::countr_zero would test for it).
  return static_cast<uint32_t>(__builtin_ctzll(upper | (mask & (0ull - (upper == 0)))));
}

// Distance from round-robin pointer `ptr` (at most `n`) forward to `a` (below `n`).
inline uint32_t rr_distance(uint32_t a, uint32_t ptr, uint32_t n) {
  return a >= ptr ? a - ptr : a + n - ptr;
}

// Credits and flits due this cycle: credits return, flits are buffered (heads routed), flits due at
// a terminal are ejected. Also lists the routers woken for this cycle.
void deliver_due_events(NetState& s);

// Route computation for a head the [router][dest] table does not cover (multicast, computed or
// adaptive routes).
void compute_route(NetState& s, uint32_t ivc, RouterId r, PortId p, const Flit& f);

// A head is at the front of `ivc`: route it and queue it for VC allocation from `ready_at` on.
[[gnu::always_inline]] inline void start_packet(NetState& s, uint32_t ivc, RouterId r, PortId p,
                                                const Flit& head, uint64_t ready_at) {
  InputVc& in = s.vin[ivc];
  if (s.use_table && !(head.flags & kMulticastFlit)) {
    in.out_port = s.route_table[size_t(r) * s.T + head.dest];
    in.route_mask = ~0u;
  } else {
    compute_route(s, ivc, r, p, head);
  }
  in.state = kVcAlloc;
  in.ready = ready_at;
  s.wake_at(ivc, ready_at);
}

// The functions below run once per flit-hop; they are defined here so that they inline into the
// allocators (calls into the shared library cannot be inlined and go through the PLT).

// Input VC `ivc` of router r got output VC `v` of its port `port` (for a fork: of that branch).
[[gnu::always_inline]] inline void grant_output_vc(NetState& s, RouterId r, uint32_t ivc,
                                                   uint32_t port, uint32_t v) {
  const uint32_t out_idx = s.base_port(r) + port;
  OutputVc& o = s.vout[out_idx * s.V + v];
  o.busy = 1;
  o.owner = ivc;
  s.port_busy[out_idx] |= 1u << v;
  ++s.counters.vc_allocations;
  InputVc& in = s.vin[ivc];
  if (in.fork != kNone) {
    McFork& f = s.forks[in.fork];
    f.out_vc[port] = static_cast<uint8_t>(v);
    f.va_pending &= ~(1ull << port);
  } else {
    in.out_vc = static_cast<uint8_t>(v);
  }
  const uint64_t now = s.now;
  in.state = kActive;
  in.ready = now + s.rp.sw_alloc_delay;
  s.switch_ready_at(ivc, in.ready);
}

// Router r's local input VC `i` accepted its local output VC `o` (on port `port`) in a round of
// VC allocation with round-robin pointers over the router's VCs, which start at VC index `base`:
// the output VC's grant pointer and the input VC's accept pointer move past the pair (to one past
// the router's last VC after it, which pick_from and rr_distance read as 0), and the VC is granted.
[[gnu::always_inline]] inline void accept_output_vc(NetState& s, RouterId r, uint32_t base,
                                                    uint32_t i, uint32_t port, uint32_t o) {
  s.vout[base + o].va_gptr = static_cast<uint16_t>(i + 1);
  s.vin[base + i].va_aptr = static_cast<uint16_t>(o + 1);
  grant_output_vc(s, r, base + i, port, o - port * s.V);
}

// Output VC `ovc` (of flat output port `out_idx`) is free again: the tail has left through it.
[[gnu::always_inline]] inline void release_output_vc(NetState& s, uint32_t out_idx, uint32_t ovc) {
  s.vout[ovc].busy = 0;
  s.vout[ovc].owner = kNone;
  s.port_busy[out_idx] &= ~(1u << (ovc - out_idx * s.V));
}

// The flit `f` leaves router r through output port `op` on output VC `ovc`. It is copied once,
// into its event.
[[gnu::always_inline]] inline void traverse(NetState& s, uint32_t base_port, uint32_t op,
                                            uint32_t ovc, const Flit& f) {
  --s.vout[ovc].credits;
  ++s.counters.crossbar_traversals;
  ++s.counters.sw_allocations;
  const uint64_t arrive = s.now + s.flit_flight;
  const uint32_t out_idx = base_port + op;
  const uint32_t down = s.downstream_ivc[out_idx];
  FlitEvent* e;
  if (down == kNone) {
    e = &s.slot(s.ejections, arrive).emplace_back();
    e->target = ovc;
    e->flit = f;
    e->flit.dest = static_cast<uint32_t>(s.port_terminal[out_idx]);
  } else {
    e = &s.slot(s.arrivals, arrive).emplace_back();
    e->target = down + (ovc - out_idx * s.V);
    e->flit = f;
    ++s.counters.channel_flits[static_cast<uint32_t>(s.out_chan[out_idx])];
  }
  ++e->flit.hops;
}

// The front flit of `ivc` leaves its buffer: the slot is announced upstream (to the network
// interface for an injection port), and a tail frees the VC for the packet behind it.
[[gnu::always_inline]] inline void pop_front(NetState& s, RouterId r, PortId in_port, uint32_t ivc,
                                             bool tail) {
  const uint32_t in_idx = s.base_port(r) + in_port;
  InputVc& in = s.vin[ivc];
  const uint16_t left = --in.buf_count;
  // An emptied buffer starts again at slot 0, the one inside the VC's record: most VCs hold one
  // flit at a time, and then a flit-hop touches one cache line for the VC and its flit.
  // (Without branches: both tests are data, and mispredicted often.)
  uint32_t next = in.buf_head + 1u;
  next &= 0u - (next != s.B);
  in.buf_head = static_cast<uint16_t>(next & (0u - (left != 0)));
  const uint64_t now = s.now;
  s.last_move = now;
  s.credit_events[(now + s.credit_flight) & s.wheel_mask].push_back(s.credit_base[in_idx] +
                                                                    (ivc - in_idx * s.V));
  if (tail) {
    if (left > 0) {
      // The next packet's head was waiting behind the tail: it routes from the next cycle on.
      const Flit& next = s.flit_at(ivc, in.buf_head);
      start_packet(s, ivc, r, in_port, next, now + s.rp.routing_delay + s.rp.vc_alloc_delay);
    } else {
      in.state = kIdle;
    }
  } else if (left > 0) {
    in.ready = now + s.rp.sw_alloc_delay;
    s.switch_ready_at(ivc, in.ready);
  }
}

// Moves the front flit of `ivc` (input port `in_port` of router r) through the switch to its
// output port (unicast).
[[gnu::always_inline]] inline void send(NetState& s, RouterId r, PortId in_port, uint32_t ivc) {
  const uint32_t base_port = s.base_port(r);
  const InputVc& in = s.vin[ivc];
  const Flit& f = s.flit_at(ivc, in.buf_head);
  const uint32_t op = in.out_port;
  const uint32_t ovc = (base_port + op) * s.V + in.out_vc;
  const bool tail = f.flags & kTail;
  traverse(s, base_port, op, ovc, f);
  ++s.counters.buffer_reads;
  if (tail) release_output_vc(s, base_port + op, ovc);
  pop_front(s, r, in_port, ivc, tail);
}
// Each branch port in `ports` of the fork at `ivc` sends the next flit at its own position
// (branches at the same position share one buffer read: replication in the crossbar); flits every
// branch has sent leave the buffer.
void send_fork(NetState& s, RouterId r, PortId in_port, uint32_t ivc, uint64_t ports);

// Whether input VC `in` stays in its router's switch list at the end of the visit: switch-ready
// now or in the next cycle (finish_visit's test, which an allocator that settles the list itself
// applies too).
[[gnu::always_inline]] inline bool stays_switch_ready(const InputVc& in, uint64_t now) {
  return (in.ready <= now + 1) & (in.state == kActive) & (in.buf_count > 0);
}

// Ends router r's visit: drops from its ready lists the VCs that were served, or that wait for
// a later cycle (their wake-up lists them again); a VC switch-ready in the next cycle stays (see
// switch_ready_at). `base` is the router's first VC index. `va_final` / `sa_final`: the allocator
// has already left that list as this would (it had at most one VC and no fork to look at), so it
// is not scanned again: in most visits neither loop runs, and their exits were the engine's most
// mispredicted branches. Returns true when a VC ready for the switch now or in the next cycle is
// left (it lost, has no credit, or was just served).
inline bool finish_visit(NetState& s, RouterId r, uint32_t base, bool va_final = false,
                         bool sa_final = false) {
  const uint64_t now = s.now;
  // Keeps in `list` the first `n` entries (from `base`) for which keep(vc) holds, clearing
  // `flag` on the others; returns how many stay. Which VCs stay is data, so this runs without
  // branches: every entry is written, the count moves on for those kept.
  auto compact = [&](std::vector<uint32_t>& list, uint32_t n, uint8_t flag, auto keep_vc) {
    uint32_t kept = 0;
    for (uint32_t j = 0; j < n; ++j) {
      const uint32_t ivc = list[base + j];
      InputVc& in = s.vin[ivc];
      const bool keep = keep_vc(in);
      list[base + kept] = ivc;
      kept += keep;
      in.listed &= static_cast<uint8_t>(~(flag & (0u - !keep)));
    }
    return kept;
  };
  if (!va_final) {
    s.va_size[r] = compact(s.va_list, s.va_size[r], kInVa,
                           [&](const InputVc& in) { return (in.ready <= now) & s.wants_vc(in); });
  }
  if (sa_final) return s.sa_size[r] > 0;
  // The VCs switch-ready in the next cycle wait past the list's end; they are kept.
  const uint32_t kept = compact(s.sa_list, s.sa_size[r] + s.sa_soon, kInSa,
                                [&](const InputVc& in) { return stays_switch_ready(in, now); });
  s.sa_soon = 0;
  s.sa_size[r] = kept;
  return kept > 0;
}

// Output ports of a fork that may request the switch now: allocated, tail not yet sent, a flit
// buffered at the branch's position, and a downstream credit.
inline uint64_t fork_requests(const NetState& s, uint32_t ivc, uint32_t base_port) {
  const McFork& f = s.forks[s.vin[ivc].fork];
  const uint16_t buffered = s.vin[ivc].buf_count;
  uint64_t ok = 0;
  for (uint64_t rest = f.ports & ~f.va_pending & ~f.tail_sent; rest != 0; rest &= rest - 1) {
    const uint32_t op = static_cast<uint32_t>(std::countr_zero(rest));
    if (f.pos[op] < buffered && s.vout[(base_port + op) * s.V + f.out_vc[op]].credits > 0)
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
