#pragma once
// The state every part of the network engine shares, owned by Network and passed by reference to
// the parts that act on it: the router pipeline (router_pipeline.h), the allocators
// (allocator.h), the network interfaces (network_interface.h) and the diagnostics
// (network_diagnostics.h). It is data only: flat per-router / per-port / per-VC arrays, the
// packet pool and the time wheels, so that a part never reaches back into another part's object.
//
// Indexing: a router's ports are contiguous (Topology::port_index); an input or output VC is
// port_index * V + v. Output VC i and input VC i belong to the same (router, port, vc), one on each
// side of the crossbar.
#include <cstdint>
#include <memory>
#include <vector>

#include "noc/network.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc::detail {

inline constexpr uint8_t kHead = 1;
inline constexpr uint8_t kTail = 2;
inline constexpr uint8_t kMulticastFlit = 4;  // routed by the packet's destination set
inline constexpr uint32_t kNone = ~0u;
// Switch allocation and multicast forks keep one bit per port of a router in a 64-bit word.
inline constexpr uint32_t kMaxPorts = 64;

// A flit as it sits in a buffer or on a link. It carries what routing needs (source, destination)
// and counts the routers it has crossed, so that forwarding never touches the packet record: with
// long source queues those records are many and scattered, and reading one per hop was a cache
// miss per hop. (A multicast head reads its packet's destination set once per hop.)
struct Flit {
  uint32_t packet = 0;
  uint32_t source = 0;  // terminal
  uint32_t dest = 0;    // terminal (unicast)
  uint16_t seq = 0;
  uint8_t flags = 0;
  uint8_t coin = 0;  // the packet's random bit (RouteQuery::coin), drawn when its head is injected
  uint32_t hops = 0;
};

struct PacketRec {
  uint32_t source = 0, dest = 0, size = 0, cls = 0;
  uint32_t ejected = 0;
  uint32_t group = kNone;  // multicast group record, kNone for a unicast packet
  uint64_t tag = 0, created = 0, injected = 0;
};

// What a multicast packet shares between its copies: the destination set and how many
// destinations still wait for their tail. In tree mode one PacketRec refers to it; with unicast
// copies every copy's PacketRec does. Records are recycled with their vector's capacity, so a run
// allocates only while it reaches a new high-water mark of groups in flight.
struct McGroup {
  std::vector<uint32_t> dests;
  uint32_t remaining = 0;
  uint32_t max_hops = 0;  // of the destinations reached so far
  uint64_t first_injected = ~0ull;
};

// A multicast head holding (or asking for) several outputs at once. Each branch reads the input
// buffer at its own position, so a branch is never held back by a slower sibling while the packet
// fits in the buffer; a flit leaves the buffer once every branch has read it. One record per input
// VC that carries a forking packet, recycled through a free list.
struct McFork {
  uint64_t ports = 0;           // every output port of this fork
  uint64_t va_pending = 0;      // ports still waiting for an output VC
  uint64_t tail_sent = 0;       // ports whose branch has sent the tail (output VC freed)
  std::vector<uint8_t> out_vc;  // per port of the router
  std::vector<uint16_t> pos;    // per port: flits of the buffer (from its head) this branch sent
};

// Input VC states. Routing finishes when the head is buffered (its delay only postpones VA), so
// there is no separate routing state.
enum : uint8_t { kIdle = 0, kVcAlloc = 1, kActive = 2 };
// Which of its router's ready lists an input VC is in (InputVc::listed).
inline constexpr uint8_t kInVa = 1;
inline constexpr uint8_t kInSa = 2;

// One cache line per VC, holding slot 0 of its buffer: a VC with one flit (the common case) is
// served from this line alone. (At 8x8 and 0.25 flits/node/cycle a cycle's work touched more
// lines than L1 holds, so every flit-hop missed on its VC record and again on its flit.)
struct alignas(64) InputVc {
  Flit slot0;
  uint64_t ready = 0;  // earliest cycle of the next VA (kVcAlloc) or SA (kActive)
  uint32_t route_mask = ~0u;
  uint32_t fork = kNone;  // McFork of a multicast packet at this VC, kNone otherwise
  RouterId router = 0;    // its router (saves a division by V per flit arrival)
  uint16_t buf_head = 0, buf_count = 0;
  uint16_t va_aptr = 0;  // iSLIP accept pointer over the router's output VCs
  uint8_t state = kIdle, out_port = 0, out_vc = 0;
  uint8_t port = 0;    // its port number at its router
  uint8_t listed = 0;  // kInVa | kInSa
};
static_assert(sizeof(InputVc) == 64);

struct OutputVc {
  int32_t credits = 0;
  uint32_t owner = kNone;  // input VC holding it (for the blocked report)
  uint16_t va_gptr = 0;    // iSLIP grant pointer over the router's input VCs
  uint8_t busy = 0;
};

struct FlitEvent {
  uint32_t target;  // input VC index, or for an ejection the output VC it left through
  Flit flit;
};

// First-in first-out queue that grows by doubling and never shrinks: the unbounded source queues
// allocate only while they reach a new high-water mark.
class IdQueue {
 public:
  bool empty() const { return head_ == tail_; }
  size_t size() const { return tail_ - head_; }
  uint32_t front() const { return data_[head_ & (data_.size() - 1)]; }
  void pop() { ++head_; }
  void push(uint32_t v) {
    if (size() == data_.size()) grow();
    data_[tail_++ & (data_.size() - 1)] = v;
  }

 private:
  void grow();
  std::vector<uint32_t> data_;
  size_t head_ = 0, tail_ = 0;
};

// `a` if `cond`, else `b`, chosen with a mask rather than a branch: for a choice that is data, a
// branch mispredicts often, and a mispredict costs more than the few instructions of the mask.
// Addresses come as integers because the one not taken may lie outside its array.
template <class T>
[[gnu::always_inline]] inline T* pick_address(bool cond, uintptr_t a, uintptr_t b) {
  const uintptr_t m = uintptr_t(0) - cond;
  return reinterpret_cast<T*>((a & m) | (b & ~m));
}

struct NetState {
  NetState(const config::NocConfig& cfg, uint64_t watchdog_cycles);

  Topology topo;
  RouterParams rp;
  std::unique_ptr<RoutingAlgorithm> routing;
  uint32_t V = 0, B = 0, N = 0, T = 0, P = 0;   // VCs, buffer depth, routers, terminals, max ports
  uint32_t vc_mask = 0;                         // the V low bits
  uint32_t flit_flight = 0, credit_flight = 0;  // RouterParams' figures, read once per flit-hop
  uint64_t watchdog = 0;
  uint64_t now = 0;
  uint64_t last_move = 0;

  // Multicast: trees in the routers, or unicast copies sent by the source's interface.
  bool mc_tree = false;
  uint32_t mc_max_flits = 0;

  // Routing: a [router][dest terminal] port table for table-friendly algorithms.
  std::vector<uint8_t> route_table;
  bool use_table = false;
  bool adaptive = false;
  bool draw_coin = false;  // the routing reads a per-packet coin (RoutingAlgorithm::uses_coin)

  // Per flat port.
  std::vector<RouterId> port_router;
  std::vector<PortId> port_local;      // its port number at its router
  std::vector<int32_t> port_terminal;  // terminal attached there, -1 for a network port
  // Where a freed input buffer slot's credit goes, plus the VC: the output VC base of the router
  // feeding this input, or kNiBit | terminal * V at an injection port (the interface's credits).
  std::vector<uint32_t> credit_base;
  std::vector<uint32_t> downstream_ivc;  // input VC base this output feeds, kNone at a terminal
  std::vector<int32_t> out_chan;         // channel this output drives, -1 at a terminal
  std::vector<uint8_t> sa_gptr;          // switch allocation pointers per output port
  std::vector<uint8_t> sa_aptr;          // and per input port
  // Per input port, BookSim2's round-robin offset over its VCs: of the port's VCs that ask for one
  // output in a cycle, the one nearest at or after it goes forward; it moves past a VC granted
  // the switch.
  std::vector<uint8_t> sa_vptr;

  // Per input VC, with one record per VC: a flit-hop touches most of these fields, and one record
  // is one or two cache lines and one base pointer (parallel arrays were ~12 lines, and every byte
  // store forced the compiler to reload every array's data pointer). Flit slots stay apart.
  std::vector<Flit> buf;  // slots 1 .. B-1 of each VC (slot 0 is in its InputVc)
  std::vector<InputVc> vin;
  std::vector<RouteChoices> route_choices;  // adaptive algorithms only

  // Per output VC, likewise, and per output port the busy VCs as a bit set (VA's free VCs in one
  // load).
  std::vector<OutputVc> vout;
  std::vector<uint32_t> port_busy;

  // Per router: the input VCs that are ready (ready <= now) and wait for VC allocation, and those
  // ready to request the switch (holding an output VC, a flit buffered), unordered, in the
  // router's own slice of a flat array. A VC enters them in the cycle it becomes ready (from the
  // wake wheel) and leaves when served, so an allocator looks only at VCs it can serve now; the
  // switch list also keeps, from the visit before, VCs that visit left switch-ready for this
  // cycle (switch_ready_at), and the switch allocators skip a VC whose ready cycle is later.
  std::vector<uint32_t> va_list, sa_list;
  std::vector<uint32_t> va_size, sa_size;
  // VCs of the router being visited that become switch-ready in the next cycle (switch_ready_at)
  // wait just past the end of its switch list, so that this visit's switch allocation does not
  // scan them; finish_visit takes them in.
  uint32_t sa_soon = 0;

  // Routers to visit: `visit` holds the routers with allocation work this cycle; an input VC is
  // put on the wake wheel for the cycle it becomes ready (which lists its router), and a router
  // stays listed while it has a ready request that lost or is blocked, or a VC its visit left
  // switch-ready for the next cycle. Routers with nothing ready are never visited.
  std::vector<RouterId> visit, next_visit;
  std::vector<uint64_t> listed_for;         // per router: the cycle it is listed for (dedupe)
  std::vector<std::vector<uint32_t>> wake;  // input VCs

  // Network interfaces, per terminal.
  std::vector<IdQueue> source_queue;
  std::vector<int32_t> ni_credits;  // per terminal * V: the router's injection buffers
  std::vector<uint8_t> ni_busy;
  std::vector<uint8_t> ni_last_vc;
  std::vector<uint32_t> ni_packet;  // packet being sent, kNone if none
  std::vector<uint8_t> ni_vc;
  std::vector<uint16_t> ni_seq;
  std::vector<uint32_t> ni_list, ni_next_list;
  std::vector<uint8_t> ni_listed;

  // Packets, multicast groups and forks, recycled through free lists.
  std::vector<PacketRec> packets;
  std::vector<uint32_t> free_packets;
  std::vector<McGroup> groups;
  std::vector<uint32_t> free_groups;
  std::vector<McFork> forks;
  std::vector<uint32_t> free_forks;
  uint64_t outstanding = 0;  // packets (a multicast packet counts once)

  // Time wheel of future events.
  uint64_t wheel_mask = 0;
  std::vector<std::vector<FlitEvent>> arrivals, ejections;
  std::vector<std::vector<uint32_t>> credit_events;  // output VC, or kNiBit | terminal*V+vc
  static constexpr uint32_t kNiBit = 0x80000000u;

  std::vector<Delivery> delivered;
  std::vector<FlitEjection> ejected;
  NetworkCounters counters;

  uint32_t base_port(RouterId r) const { return topo.port_index(r, 0); }
  // Whether a VC's front flit sits in slot 0 is a coin toss under load (GCC compiled the ?: to a
  // branch, the engine's most mispredicted one).
  Flit& flit_at(uint32_t ivc, uint32_t slot) {
    return *pick_address<Flit>(slot == 0, reinterpret_cast<uintptr_t>(&vin[ivc].slot0),
                               reinterpret_cast<uintptr_t>(buf.data()) +
                                   (uintptr_t(ivc) * (B - 1) + slot - 1) * sizeof(Flit));
  }
  const Flit& flit_at(uint32_t ivc, uint32_t slot) const {
    return const_cast<NetState*>(this)->flit_at(ivc, slot);
  }
  std::vector<FlitEvent>& slot(std::vector<std::vector<FlitEvent>>& w, uint64_t at) {
    return w[at & wheel_mask];
  }
  // Router r is visited in this cycle (called before the allocators run).
  [[gnu::always_inline]] void list_router(RouterId r) {
    if (listed_for[r] != now + 1) {
      listed_for[r] = now + 1;
      visit.push_back(r);
    }
  }
  bool wants_vc(const InputVc& in) const {
    return in.state == kVcAlloc || (in.fork != kNone && forks[in.fork].va_pending != 0);
  }
  // A ready input VC joins its router's ready lists (once).
  [[gnu::always_inline]] void enlist(uint32_t ivc) {
    InputVc& in = vin[ivc];
    if (!(in.listed & kInVa) && wants_vc(in)) {
      in.listed |= kInVa;
      va_list[base_port(in.router) * V + va_size[in.router]++] = ivc;
    }
    if (!(in.listed & kInSa) && in.state == kActive && in.buf_count > 0) {
      in.listed |= kInSa;
      sa_list[base_port(in.router) * V + sa_size[in.router]++] = ivc;
    }
  }
  // Input VC `ivc` (whose ready cycle was just set to `at` >= now) is served from cycle `at` on.
  [[gnu::always_inline]] void wake_at(uint32_t ivc, uint64_t at) {
    if (at > now) [[likely]] {
      wake[at & wheel_mask].push_back(ivc);
    } else {
      wake_now(ivc);
    }
  }
  // Input VC `ivc` (not a fork), served in this visit of its router, is switch-ready again from
  // cycle `at` on. Ready in the next cycle, it stays in (or joins, at the end of the visit) the
  // router's switch list, which finish_visit keeps for the next cycle, instead of passing through
  // the wake wheel (one wheel push, pop, router listing and enlisting less per flit-hop). A fork
  // also waits for VC allocation of its other branches, so it always goes through the wheel.
  [[gnu::always_inline]] void switch_ready_at(uint32_t ivc, uint64_t at) {
    InputVc& in = vin[ivc];
    if (at == now + 1 && in.fork == kNone) {
      if (!(in.listed & kInSa)) {
        in.listed |= kInSa;
        sa_list[base_port(in.router) * V + sa_size[in.router] + sa_soon++] = ivc;
      }
    } else {
      wake_at(ivc, at);
    }
  }
  void wake_now(uint32_t ivc);
  void list_ni(uint32_t t) {
    if (!ni_listed[t]) {
      ni_listed[t] = 1;
      ni_list.push_back(t);
    }
  }
  uint32_t new_fork();
  void free_fork(uint32_t f) { free_forks.push_back(f); }
};

}  // namespace nocsim::noc::detail
