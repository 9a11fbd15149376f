#include "noc/network.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <sstream>

#include "configs/user_error.h"
#include "noc/deadlock_check.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

namespace {

constexpr uint8_t kHead = 1;
constexpr uint8_t kTail = 2;
constexpr uint32_t kNone = ~0u;
// Switch allocation keeps one bit per port of a router in a 64-bit word.
constexpr uint32_t kMaxPorts = 64;

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

// A flit as it sits in a buffer or on a link. It carries what routing needs (source, destination)
// and counts the routers it has crossed, so that forwarding never touches the packet record: with
// long source queues those records are many and scattered, and reading one per hop was a cache
// miss per hop.
struct Flit {
  uint32_t packet = 0;
  uint32_t source = 0;
  uint32_t dest = 0;
  uint16_t seq = 0;
  uint8_t flags = 0;
  uint8_t pad = 0;
  uint32_t hops = 0;
};

struct PacketRec {
  uint32_t source = 0, dest = 0, size = 0, cls = 0;
  uint32_t hops = 0, ejected = 0;
  uint64_t tag = 0, created = 0, injected = 0;
};

// Input VC states. Routing finishes when the head is buffered (its delay only postpones VA), so
// there is no separate routing state.
enum : uint8_t { kIdle = 0, kVcAlloc = 1, kActive = 2 };

struct FlitEvent {
  uint32_t target;  // input VC index, or terminal for an ejection
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
  void grow() {
    std::vector<uint32_t> bigger(std::max<size_t>(8, data_.size() * 2));
    for (size_t i = 0; i < size(); ++i) bigger[i] = data_[(head_ + i) & (data_.size() - 1)];
    tail_ = size();
    head_ = 0;
    data_.swap(bigger);
  }
  std::vector<uint32_t> data_;
  size_t head_ = 0, tail_ = 0;
};

}  // namespace

NetworkCounters NetworkCounters::since(const NetworkCounters& e) const {
  NetworkCounters d = *this;
  d.buffer_writes -= e.buffer_writes;
  d.buffer_reads -= e.buffer_reads;
  d.crossbar_traversals -= e.crossbar_traversals;
  d.vc_allocations -= e.vc_allocations;
  d.sw_allocations -= e.sw_allocations;
  d.flits_injected -= e.flits_injected;
  d.flits_ejected -= e.flits_ejected;
  for (size_t i = 0; i < e.channel_flits.size() && i < d.channel_flits.size(); ++i)
    d.channel_flits[i] -= e.channel_flits[i];
  for (size_t i = 0; i < e.class_flits_ejected.size() && i < d.class_flits_ejected.size(); ++i)
    d.class_flits_ejected[i] -= e.class_flits_ejected[i];
  return d;
}

struct Network::Impl {
  Topology topo;
  RouterParams rp;
  std::unique_ptr<RoutingAlgorithm> routing;
  uint32_t V = 0, B = 0, N = 0, P = 0;  // VCs, buffer depth, routers, max ports
  uint64_t watchdog = 0;
  uint64_t now = 0;
  uint64_t last_move = 0;

  // Routing: a [router][dest] port table for table-friendly algorithms.
  std::vector<uint8_t> route_table;
  bool use_table = false;
  bool adaptive = false;

  // Per input VC (index port_index(r, p) * V + v).
  std::vector<Flit> buf;  // B slots per VC
  std::vector<uint16_t> buf_head, buf_count;
  std::vector<uint8_t> state, out_port, out_vc;
  std::vector<uint32_t> route_mask;
  std::vector<RouteChoices> route_choices;  // adaptive algorithms only
  std::vector<uint64_t> ready;   // earliest cycle of the next VA (kVcAlloc) or SA (kActive)
  std::vector<uint64_t> sa_key;  // BookSim's switch-request queue order within an input port

  // Per output VC (same indexing, the router's output side).
  std::vector<int32_t> credits;
  std::vector<uint8_t> busy;
  std::vector<uint32_t> owner;  // input VC holding it (for the blocked report)
  // Per port: the output VC base of the upstream router feeding this input, kNone for port 0.
  std::vector<uint32_t> upstream_ovc;
  // Per port: the input VC base of the downstream router this output feeds, and its channel.
  std::vector<uint32_t> downstream_ivc;
  std::vector<int32_t> out_chan;

  // Round-robin pointers of the iSLIP allocators.
  std::vector<uint16_t> va_gptr;  // per output VC, over the router's input VCs
  std::vector<uint16_t> va_aptr;  // per input VC, over the router's output VCs
  std::vector<uint8_t> sa_gptr;   // per output port, over input ports
  std::vector<uint8_t> sa_aptr;   // per input port, over output ports
  // Per router, the input VCs that wait for VC allocation and those that hold an output VC and
  // have a flit buffered (switch candidates): unordered lists stored in the router's own slice of
  // a flat array (a router's input VCs are contiguous), so the allocators visit only VCs with
  // work instead of scanning every port and VC each cycle.
  std::vector<uint32_t> va_list, sa_list;
  std::vector<uint32_t> va_size, sa_size;
  std::vector<uint8_t> ivc_port;  // per input VC: its port number at its router

  std::vector<uint32_t> router_flits;  // flits buffered per router
  std::vector<uint32_t> active, next_active;
  std::vector<uint8_t> is_active;

  // Network interfaces.
  std::vector<IdQueue> source_queue;
  std::vector<int32_t> ni_credits;  // per terminal * V: the router's injection buffers
  std::vector<uint8_t> ni_busy;
  std::vector<uint8_t> ni_last_vc;
  std::vector<uint32_t> ni_packet;  // packet being sent, kNone if none
  std::vector<uint8_t> ni_vc;
  std::vector<uint16_t> ni_seq;
  std::vector<uint32_t> ni_list, ni_next_list;
  std::vector<uint8_t> ni_listed;

  // Packets, recycled through a free list.
  std::vector<PacketRec> packets;
  std::vector<uint32_t> free_packets;
  uint64_t outstanding = 0;
  uint64_t flits_in_flight = 0;  // buffered or on a link

  // Time wheel of future events.
  uint64_t wheel_mask = 0;
  std::vector<std::vector<FlitEvent>> arrivals, ejections;
  std::vector<std::vector<uint32_t>> credit_events;  // output VC, or kNiBit | terminal*V+vc
  static constexpr uint32_t kNiBit = 0x80000000u;

  std::vector<Delivery> delivered;
  std::vector<FlitEjection> ejected;
  NetworkCounters counters;

  // Scratch for the allocators (sized for one router).
  std::vector<uint32_t> req_ivc;      // VA requesters (local input VC index)
  std::vector<uint32_t> req_port;     // chosen output port per requester
  std::vector<int32_t> va_grant;      // per local output VC: granted requester, -1
  std::vector<uint32_t> sa_req;       // [in port * P + out port] = input VC (valid where requested)
  std::vector<uint64_t> sa_out_req;   // per output port: input ports requesting it
  std::vector<uint64_t> sa_in_grant;  // per input port: output ports granting it

  Impl(const config::NocConfig& cfg, uint64_t watchdog_cycles);

  uint32_t ivc_index(RouterId r, PortId p, uint32_t v) const {
    return topo.port_index(r, p) * V + v;
  }
  RouterId router_of_port(uint32_t port_idx) const { return port_router[port_idx]; }
  std::vector<RouterId> port_router;
  std::vector<PortId> port_local;  // per flat port index: its port number at its router

  void activate(RouterId r) {
    if (!is_active[r]) {
      is_active[r] = 1;
      active.push_back(r);
    }
  }
  void list_ni(uint32_t t) {
    if (!ni_listed[t]) {
      ni_listed[t] = 1;
      ni_list.push_back(t);
    }
  }
  std::vector<FlitEvent>& slot(std::vector<std::vector<FlitEvent>>& w, uint64_t at) {
    return w[at & wheel_mask];
  }

  void va_add(RouterId r, uint32_t ivc) { va_list[topo.port_index(r, 0) * V + va_size[r]++] = ivc; }
  void sa_add(RouterId r, uint32_t ivc) { sa_list[topo.port_index(r, 0) * V + sa_size[r]++] = ivc; }
  void compute_route(uint32_t ivc, RouterId r, PortId p, const Flit& f);
  void deposit(uint32_t ivc, const Flit& f);
  void eject(uint32_t terminal, const Flit& f);
  void inject_from(uint32_t terminal);
  void vc_allocate(RouterId r);
  void sw_allocate(RouterId r);
  void send(RouterId r, PortId in_port, uint32_t ivc);
  void step();
  void check_watchdog();
  std::string describe() const;
};

Network::Impl::Impl(const config::NocConfig& cfg, uint64_t watchdog_cycles)
    : topo(Topology::from_config(cfg.topology())),
      rp(RouterParams::from_config(cfg.router())),
      watchdog(watchdog_cycles) {
  const std::string algo = cfg.routing().algorithm().empty() ? "xy" : cfg.routing().algorithm();
  routing = routing_registry().create(algo, "noc.routing.algorithm", topo, cfg);
  if (!cfg.routing().allow_deadlock_prone()) {
    if (auto cycle = find_deadlock_cycle(topo, *routing, rp.num_vcs)) {
      throw UserError("noc.routing.algorithm",
                      "routing '" + algo + "' can deadlock on this topology with " +
                          std::to_string(rp.num_vcs) + " VCs: " + *cycle +
                          " (set noc.routing.allow_deadlock_prone to run it anyway)");
    }
  }
  V = rp.num_vcs;
  B = rp.vc_buf_size;
  N = topo.num_routers();
  P = topo.max_ports();
  require(P <= kMaxPorts, "noc.topology",
          "routers with more than " + std::to_string(kMaxPorts) + " ports are not supported (got " +
              std::to_string(P) + ")");
  const uint32_t ports = topo.total_ports();
  port_router.resize(ports);
  port_local.resize(ports);
  for (RouterId r = 0; r < N; ++r) {
    for (uint32_t p = 0; p < topo.num_ports(r); ++p) {
      port_router[topo.port_index(r, p)] = r;
      port_local[topo.port_index(r, p)] = static_cast<PortId>(p);
    }
  }

  adaptive = routing->adaptive();
  // A [router][dest] table beats the virtual call only while it stays in cache: at 32x32 (1 MB) the
  // per-hop table load missed cache and cost more than computing the route (measured with perf).
  use_table = routing->table_friendly() && !adaptive && uint64_t(N) * N <= (256ull << 10);
  if (use_table) {
    route_table.assign(size_t(N) * N, 0);
    RouteChoices rc;
    for (RouterId r = 0; r < N; ++r) {
      for (RouterId d = 0; d < N; ++d) {
        rc.count = 0;
        routing->route(RouteQuery{r, 0, 0, r, d}, rc);
        route_table[size_t(r) * N + d] = rc.count ? rc.choice[0].port : 0;
      }
    }
  }

  const size_t nvc = size_t(ports) * V;
  buf.resize(nvc * B);
  buf_head.assign(nvc, 0);
  buf_count.assign(nvc, 0);
  state.assign(nvc, kIdle);
  out_port.assign(nvc, 0);
  out_vc.assign(nvc, 0);
  route_mask.assign(nvc, ~0u);
  if (adaptive) route_choices.resize(nvc);
  ready.assign(nvc, 0);
  sa_key.assign(nvc, 0);
  credits.assign(nvc, static_cast<int32_t>(B));
  busy.assign(nvc, 0);
  owner.assign(nvc, kNone);
  va_gptr.assign(nvc, 0);
  va_aptr.assign(nvc, 0);
  sa_gptr.assign(ports, 0);
  sa_aptr.assign(ports, 0);
  va_list.assign(nvc, 0);
  sa_list.assign(nvc, 0);
  va_size.assign(N, 0);
  sa_size.assign(N, 0);
  ivc_port.resize(nvc);
  for (uint32_t i = 0; i < ports; ++i)
    for (uint32_t v = 0; v < V; ++v) ivc_port[size_t(i) * V + v] = port_local[i];
  upstream_ovc.assign(ports, kNone);
  downstream_ivc.assign(ports, kNone);
  out_chan.assign(ports, -1);
  const auto& chans = topo.channels();
  for (uint32_t c = 0; c < chans.size(); ++c) {
    const Channel& ch = chans[c];
    const uint32_t out_idx = topo.port_index(ch.src, ch.src_port);
    const uint32_t in_idx = topo.port_index(ch.dst, ch.dst_port);
    upstream_ovc[in_idx] = out_idx * V;
    downstream_ivc[out_idx] = in_idx * V;
    out_chan[out_idx] = static_cast<int32_t>(c);
  }
  router_flits.assign(N, 0);
  is_active.assign(N, 0);

  source_queue.resize(N);
  ni_credits.assign(size_t(N) * V, static_cast<int32_t>(B));
  ni_busy.assign(size_t(N) * V, 0);
  ni_last_vc.assign(N, static_cast<uint8_t>(V - 1));
  ni_packet.assign(N, kNone);
  ni_vc.assign(N, 0);
  ni_seq.assign(N, 0);
  ni_listed.assign(N, 0);

  uint64_t horizon = std::max(rp.flit_flight(), rp.credit_flight()) + 2;
  uint64_t w = 1;
  while (w < horizon) w <<= 1;
  wheel_mask = w - 1;
  arrivals.resize(w);
  ejections.resize(w);
  credit_events.resize(w);

  counters.channel_flits.assign(chans.size(), 0);

  const size_t local = size_t(P) * V;
  req_ivc.reserve(local);
  req_port.reserve(local);
  va_grant.assign(local, -1);
  sa_req.assign(size_t(P) * P, 0);
  sa_out_req.assign(P, 0);
  sa_in_grant.assign(P, 0);
}

void Network::Impl::compute_route(uint32_t ivc, RouterId r, PortId p, const Flit& f) {
  if (use_table) {
    out_port[ivc] = route_table[size_t(r) * N + f.dest];
    route_mask[ivc] = ~0u;
    return;
  }
  RouteChoices rc;
  routing->route(RouteQuery{r, p, static_cast<uint8_t>(ivc % V), f.source, f.dest}, rc);
  if (rc.count == 0) {
    throw std::logic_error("routing algorithm returned no route at router " + std::to_string(r) +
                           " for destination " + std::to_string(f.dest));
  }
  out_port[ivc] = rc.choice[0].port;
  route_mask[ivc] = rc.choice[0].vc_mask;
  if (adaptive) route_choices[ivc] = rc;
}

void Network::Impl::deposit(uint32_t ivc, const Flit& f) {
  const uint32_t port_idx = ivc / V;
  const RouterId r = router_of_port(port_idx);
  const PortId p = port_local[port_idx];
  const uint16_t n = buf_count[ivc];
  uint32_t at = buf_head[ivc] + n;
  if (at >= B) at -= B;
  buf[size_t(ivc) * B + at] = f;
  buf_count[ivc] = n + 1;
  ++router_flits[r];
  ++counters.buffer_writes;
  activate(r);
  if (state[ivc] == kIdle) {
    compute_route(ivc, r, p, f);
    state[ivc] = kVcAlloc;
    va_add(r, ivc);
    ready[ivc] = now + rp.routing_delay + rp.vc_alloc_delay - 1;
  } else if (state[ivc] == kActive && n == 0) {
    sa_add(r, ivc);
    ready[ivc] = now + rp.sw_alloc_delay - 1;
    sa_key[ivc] = now * 3;
  }
}

void Network::Impl::eject(uint32_t terminal, const Flit& f) {
  PacketRec& pk = packets[f.packet];
  --flits_in_flight;
  ++counters.flits_ejected;
  if (pk.cls >= counters.class_flits_ejected.size())
    counters.class_flits_ejected.resize(pk.cls + 1, 0);
  ++counters.class_flits_ejected[pk.cls];
  ejected.push_back(FlitEjection{pk.tag, pk.created, now, f.seq});
  ++pk.ejected;
  (void)terminal;
  if (f.flags & kTail) {
    pk.hops = f.hops;
    delivered.push_back(Delivery{pk.tag, pk.source, pk.dest, pk.size, pk.cls, pk.hops, pk.created,
                                 pk.injected, now});
    free_packets.push_back(f.packet);
    --outstanding;
  }
}

void Network::Impl::inject_from(uint32_t t) {
  uint32_t pid = ni_packet[t];
  if (pid == kNone) {
    if (source_queue[t].empty()) return;
    // A new packet needs an injection VC that no other packet of this terminal holds and that has
    // room, searched round-robin from the last one used (BookSim's traffic manager).
    int chosen = -1;
    for (uint32_t i = 1; i <= V; ++i) {
      const uint32_t v = (ni_last_vc[t] + i) % V;
      if (!ni_busy[t * V + v] && ni_credits[t * V + v] > 0) {
        chosen = static_cast<int>(v);
        break;
      }
    }
    if (chosen < 0) return;
    pid = source_queue[t].front();
    source_queue[t].pop();
    ni_packet[t] = pid;
    ni_vc[t] = static_cast<uint8_t>(chosen);
    ni_seq[t] = 0;
    ni_busy[t * V + chosen] = 1;
    ni_last_vc[t] = static_cast<uint8_t>(chosen);
    packets[pid].injected = now;
  }
  const uint32_t v = ni_vc[t];
  if (ni_credits[t * V + v] <= 0) return;
  --ni_credits[t * V + v];
  PacketRec& pk = packets[pid];
  Flit f;
  f.packet = pid;
  f.source = pk.source;
  f.dest = pk.dest;
  f.seq = ni_seq[t];
  f.flags = static_cast<uint8_t>((f.seq == 0 ? kHead : 0) | (f.seq + 1u == pk.size ? kTail : 0));
  slot(arrivals, now + rp.link_delay + 1).push_back(FlitEvent{ivc_index(t, 0, v), f});
  ++flits_in_flight;
  ++counters.flits_injected;
  last_move = now;
  if (f.flags & kTail) {
    ni_busy[t * V + v] = 0;
    ni_packet[t] = kNone;
  } else {
    ++ni_seq[t];
  }
}

// VC allocation: one iteration of iSLIP between the router's waiting input VCs and its free output
// VCs. Each output VC grants the first requester after its round-robin pointer; each input VC
// accepts the first grant after its own pointer; pointers move past an accepted pair only.
void Network::Impl::vc_allocate(RouterId r) {
  if (va_size[r] == 0) return;
  const uint32_t base_port = topo.port_index(r, 0);
  const uint32_t nports = topo.num_ports(r);
  const uint32_t base = base_port * V;
  const uint32_t nlocal = nports * V;
  req_ivc.clear();
  req_port.clear();
  // The iSLIP choices below depend on round-robin distances only, not on the order of requests.
  for (uint32_t j = 0; j < va_size[r]; ++j) {
    const uint32_t ivc = va_list[base + j];
    const uint32_t i = ivc - base;
    if (ready[ivc] > now) continue;
    PortId port = out_port[ivc];
    if (adaptive && route_choices[ivc].count > 1) {
      // Adaptive: the candidate port with the most free downstream space in allowed, free VCs.
      int best = -1;
      for (uint8_t c = 0; c < route_choices[ivc].count; ++c) {
        const RouteChoice& ch = route_choices[ivc].choice[c];
        int space = 0;
        for (uint32_t v = 0; v < V; ++v) {
          const uint32_t ovc = (base_port + ch.port) * V + v;
          if ((ch.vc_mask >> v & 1u) && !busy[ovc]) space += credits[ovc];
        }
        if (space > best) {
          best = space;
          port = ch.port;
          route_mask[ivc] = ch.vc_mask;
        }
      }
      out_port[ivc] = port;
    }
    req_ivc.push_back(i);
    req_port.push_back(port);
  }
  if (req_ivc.empty()) return;
  // Grant phase.
  bool any = false;
  for (size_t k = 0; k < req_ivc.size(); ++k) {
    const uint32_t port = req_port[k];
    const uint32_t mask = route_mask[base + req_ivc[k]];
    for (uint32_t v = 0; v < V; ++v) {
      if (!(mask >> v & 1u)) continue;
      const uint32_t o = port * V + v;
      if (busy[base + o]) continue;
      const int32_t g = va_grant[o];
      const uint32_t ptr = va_gptr[base + o];
      if (g < 0 || rr_distance(req_ivc[k], ptr, nlocal) < rr_distance(req_ivc[g], ptr, nlocal))
        va_grant[o] = static_cast<int32_t>(k);
      any = true;
    }
  }
  if (!any) {
    for (size_t k = 0; k < req_ivc.size(); ++k) {
      const uint32_t port = req_port[k];
      for (uint32_t v = 0; v < V; ++v) va_grant[port * V + v] = -1;
    }
    return;
  }
  // Accept phase: each requester looks at the output VCs of its port that granted it.
  for (size_t k = 0; k < req_ivc.size(); ++k) {
    const uint32_t i = req_ivc[k];
    const uint32_t ivc = base + i;
    const uint32_t port = req_port[k];
    const uint32_t ptr = va_aptr[ivc];
    int32_t best = -1;
    uint32_t best_dist = ~0u;
    for (uint32_t v = 0; v < V; ++v) {
      const uint32_t o = port * V + v;
      if (va_grant[o] != static_cast<int32_t>(k)) continue;
      const uint32_t dist = rr_distance(o, ptr, nlocal);
      if (dist < best_dist) {
        best_dist = dist;
        best = static_cast<int32_t>(o);
      }
    }
    if (best < 0) continue;
    const uint32_t o = static_cast<uint32_t>(best);
    va_gptr[base + o] = static_cast<uint16_t>(i + 1 == nlocal ? 0 : i + 1);
    va_aptr[ivc] = static_cast<uint16_t>(o + 1 == nlocal ? 0 : o + 1);
    busy[base + o] = 1;
    owner[base + o] = ivc;
    state[ivc] = kActive;
    sa_add(r, ivc);
    out_vc[ivc] = static_cast<uint8_t>(o % V);
    ready[ivc] = now + rp.sw_alloc_delay;
    sa_key[ivc] = now * 3 + 1;
    ++counters.vc_allocations;
  }
  for (size_t k = 0; k < req_ivc.size(); ++k) {
    const uint32_t port = req_port[k];
    for (uint32_t v = 0; v < V; ++v) va_grant[port * V + v] = -1;
  }
  uint32_t kept = 0;
  for (uint32_t j = 0; j < va_size[r]; ++j) {
    const uint32_t ivc = va_list[base + j];
    if (state[ivc] == kVcAlloc) va_list[base + kept++] = ivc;
  }
  va_size[r] = kept;
}

// Switch allocation: each input port forwards at most one request per output port (its oldest
// waiting VC, BookSim's request-queue order), then one iteration of iSLIP between ports. Requests
// and grants are bit sets over the router's ports, so the round-robin choices are bit scans.
void Network::Impl::sw_allocate(RouterId r) {
  if (sa_size[r] == 0) return;
  const uint32_t base_port = topo.port_index(r, 0);
  const uint32_t nports = topo.num_ports(r);
  const uint32_t base = base_port * V;
  uint64_t outputs = 0;
  for (uint32_t j = 0; j < sa_size[r]; ++j) {
    const uint32_t ivc = sa_list[base + j];
    if (ready[ivc] > now) continue;
    const uint32_t op = out_port[ivc];
    if (credits[(base_port + op) * V + out_vc[ivc]] <= 0) continue;
    const uint32_t p = ivc_port[ivc];
    uint32_t& slot_req = sa_req[p * P + op];
    const uint64_t bit = 1ull << p;
    if (!(sa_out_req[op] & bit)) {
      sa_out_req[op] |= bit;
      slot_req = ivc;
      outputs |= 1ull << op;
    } else if (sa_key[ivc] < sa_key[slot_req] ||
               (sa_key[ivc] == sa_key[slot_req] && ivc < slot_req)) {
      // Equal keys (VCs of one port that became ready together): the lower VC first.
      slot_req = ivc;
    }
  }
  if (outputs == 0) return;
  uint64_t inputs = 0;
  for (uint64_t rest = outputs; rest != 0; rest &= rest - 1) {
    const uint32_t o = static_cast<uint32_t>(std::countr_zero(rest));
    const uint32_t p = pick_from(sa_out_req[o], sa_gptr[base_port + o]);
    sa_out_req[o] = 0;
    sa_in_grant[p] |= 1ull << o;
    inputs |= 1ull << p;
  }
  for (uint64_t rest = inputs; rest != 0; rest &= rest - 1) {
    const uint32_t p = static_cast<uint32_t>(std::countr_zero(rest));
    const uint32_t o = pick_from(sa_in_grant[p], sa_aptr[base_port + p]);
    sa_in_grant[p] = 0;
    sa_gptr[base_port + o] = static_cast<uint8_t>(p + 1 == nports ? 0 : p + 1);
    sa_aptr[base_port + p] = static_cast<uint8_t>(o + 1 == nports ? 0 : o + 1);
    send(r, static_cast<PortId>(p), sa_req[p * P + o]);
  }
  uint32_t kept = 0;
  for (uint32_t j = 0; j < sa_size[r]; ++j) {
    const uint32_t ivc = sa_list[base + j];
    if (state[ivc] == kActive && buf_count[ivc] > 0) sa_list[base + kept++] = ivc;
  }
  sa_size[r] = kept;
}

void Network::Impl::send(RouterId r, PortId in_port, uint32_t ivc) {
  const uint32_t base_port = topo.port_index(r, 0);
  Flit f = buf[size_t(ivc) * B + buf_head[ivc]];
  buf_head[ivc] = static_cast<uint16_t>(buf_head[ivc] + 1u == B ? 0u : buf_head[ivc] + 1u);
  --buf_count[ivc];
  --router_flits[r];
  const uint32_t op = out_port[ivc];
  const uint32_t ovc = (base_port + op) * V + out_vc[ivc];
  --credits[ovc];
  ++counters.buffer_reads;
  ++counters.crossbar_traversals;
  ++counters.sw_allocations;
  ++f.hops;
  last_move = now;

  const uint64_t arrive = now + rp.flit_flight();
  if (op == 0) {
    slot(ejections, arrive).push_back(FlitEvent{r * V + out_vc[ivc], f});
  } else {
    const uint32_t out_idx = base_port + op;
    slot(arrivals, arrive).push_back(FlitEvent{downstream_ivc[out_idx] + out_vc[ivc], f});
    ++counters.channel_flits[static_cast<uint32_t>(out_chan[out_idx])];
  }
  // The freed slot is announced upstream (to the network interface for the injection port).
  const uint32_t in_idx = base_port + in_port;
  const uint32_t v = ivc - in_idx * V;
  credit_events[(now + rp.credit_flight()) & wheel_mask].push_back(
      in_port == 0 ? (kNiBit | (r * V + v)) : upstream_ovc[in_idx] + v);

  if (f.flags & kTail) {
    busy[ovc] = 0;
    owner[ovc] = kNone;
    if (buf_count[ivc] > 0) {
      // The next packet's head was waiting behind the tail: it routes from the next cycle on.
      const Flit& next = buf[size_t(ivc) * B + buf_head[ivc]];
      compute_route(ivc, r, in_port, next);
      state[ivc] = kVcAlloc;
      va_add(r, ivc);
      ready[ivc] = now + rp.routing_delay + rp.vc_alloc_delay;
    } else {
      state[ivc] = kIdle;
    }
  } else if (buf_count[ivc] > 0) {
    ready[ivc] = now + rp.sw_alloc_delay;
    sa_key[ivc] = now * 3 + 2;
  }
}

void Network::Impl::step() {
  delivered.clear();
  ejected.clear();
  const uint64_t s = now & wheel_mask;
  for (uint32_t c : credit_events[s]) {
    if (c & kNiBit) {
      ++ni_credits[c & ~kNiBit];
    } else {
      ++credits[c];
    }
  }
  credit_events[s].clear();
  for (const FlitEvent& e : arrivals[s]) deposit(e.target, e.flit);
  arrivals[s].clear();
  for (const FlitEvent& e : ejections[s]) {
    const uint32_t terminal = e.target / V;
    // The terminal sinks flits at once and returns the ejection buffer slot.
    credit_events[(now + rp.credit_flight()) & wheel_mask].push_back(
        (topo.port_index(terminal, 0)) * V + e.target % V);
    eject(terminal, e.flit);
  }
  ejections[s].clear();

  ni_next_list.clear();
  for (uint32_t t : ni_list) {
    inject_from(t);
    if (ni_packet[t] != kNone || !source_queue[t].empty()) {
      ni_next_list.push_back(t);
    } else {
      ni_listed[t] = 0;
    }
  }
  ni_list.swap(ni_next_list);

  next_active.clear();
  for (RouterId r : active) {
    vc_allocate(r);
    sw_allocate(r);
    if (router_flits[r] > 0) {
      next_active.push_back(r);
    } else {
      is_active[r] = 0;
    }
  }
  // Routers interact only through events scheduled for later cycles, so the order in which they
  // are visited within a cycle cannot change any timing and the active list needs no sorting.
  active.swap(next_active);

  if (watchdog > 0 && outstanding > 0 && now - last_move >= watchdog) check_watchdog();
  ++now;
}

void Network::Impl::check_watchdog() {
  throw NetworkStalled("no flit moved for " + std::to_string(now - last_move) + " cycles with " +
                       std::to_string(outstanding) + " packets outstanding (deadlock?) at cycle " +
                       std::to_string(now) + "; blocked virtual channels:\n" + describe());
}

std::string Network::Impl::describe() const {
  std::ostringstream os;
  int lines = 0;
  for (RouterId r = 0; r < N && lines < 64; ++r) {
    const uint32_t base_port = topo.port_index(r, 0);
    for (uint32_t p = 0; p < topo.num_ports(r); ++p) {
      for (uint32_t v = 0; v < V; ++v) {
        const uint32_t ivc = (base_port + p) * V + v;
        if (buf_count[ivc] == 0) continue;
        const Flit& f = buf[size_t(ivc) * B + buf_head[ivc]];
        const PacketRec& pk = packets[f.packet];
        os << "  router " << r;
        if (topo.kind() != Topology::Kind::kGraph)
          os << " (" << topo.x(r) << "," << topo.y(r) << ")";
        os << " in " << topo.port_name(static_cast<PortId>(p)) << " vc " << v << ": "
           << buf_count[ivc] << " flit(s), front = flit " << f.seq << " of packet " << pk.source
           << "->" << pk.dest << "; ";
        const uint32_t ovc_base = (base_port + out_port[ivc]) * V;
        if (state[ivc] == kVcAlloc) {
          os << "waits for a free VC on output " << topo.port_name(out_port[ivc]) << " (held by";
          for (uint32_t w = 0; w < V; ++w) {
            const uint32_t ovc = ovc_base + w;
            if (!busy[ovc] || owner[ovc] == kNone) {
              os << " vc" << w << ":free";
              continue;
            }
            const uint32_t o_port = owner[ovc] / V - base_port;
            os << " vc" << w << ":in " << topo.port_name(static_cast<PortId>(o_port)) << " vc "
               << owner[ovc] % V;
          }
          os << ")\n";
        } else {
          os << "holds output " << topo.port_name(out_port[ivc]) << " vc " << int(out_vc[ivc])
             << ", waits for a credit (" << credits[ovc_base + out_vc[ivc]] << " left)\n";
        }
        ++lines;
      }
    }
  }
  if (lines == 0) os << "  none (packets wait in source queues for injection credits)\n";
  return os.str();
}

Network::Network(const config::NocConfig& cfg, uint64_t watchdog_cycles)
    : impl_(std::make_unique<Impl>(cfg, watchdog_cycles)) {}
Network::~Network() = default;

const Topology& Network::topology() const {
  return impl_->topo;
}
const RouterParams& Network::params() const {
  return impl_->rp;
}
uint32_t Network::num_terminals() const {
  return impl_->N;
}
uint64_t Network::cycle() const {
  return impl_->now;
}

void Network::inject(const PacketSpec& spec) {
  Impl& m = *impl_;
  // Messages are built only on failure: inject() runs once per packet.
  if (spec.source >= m.N) {
    throw UserError("packet.source", "terminal " + std::to_string(spec.source) +
                                         " does not exist (" + std::to_string(m.N) + " terminals)");
  }
  if (spec.dest >= m.N) {
    throw UserError("packet.dest", "terminal " + std::to_string(spec.dest) + " does not exist (" +
                                       std::to_string(m.N) + " terminals)");
  }
  if (spec.size_flits < 1 || spec.size_flits > kMaxPacketFlits) {
    throw UserError("packet.size_flits", "must be between 1 and " +
                                             std::to_string(kMaxPacketFlits) + " flits, got " +
                                             std::to_string(spec.size_flits));
  }
  if (spec.traffic_class >= kMaxTrafficClasses) {
    throw UserError("packet.traffic_class", "must be below " + std::to_string(kMaxTrafficClasses) +
                                                ", got " + std::to_string(spec.traffic_class));
  }
  uint32_t id;
  if (!m.free_packets.empty()) {
    id = m.free_packets.back();
    m.free_packets.pop_back();
  } else {
    id = static_cast<uint32_t>(m.packets.size());
    m.packets.emplace_back();
  }
  PacketRec& pk = m.packets[id];
  pk = PacketRec{spec.source, spec.dest, spec.size_flits, spec.traffic_class, 0, 0, spec.tag,
                 m.now,       0};
  m.source_queue[spec.source].push(id);
  m.list_ni(spec.source);
  if (m.outstanding == 0) m.last_move = m.now;
  ++m.outstanding;
}

void Network::step() {
  impl_->step();
}
std::span<const Delivery> Network::delivered() const {
  return impl_->delivered;
}
std::span<const FlitEjection> Network::ejected_flits() const {
  return impl_->ejected;
}
bool Network::empty() const {
  return impl_->outstanding == 0;
}
uint64_t Network::packets_outstanding() const {
  return impl_->outstanding;
}

void Network::skip_idle_until(uint64_t target) {
  Impl& m = *impl_;
  if (m.outstanding != 0)
    throw std::logic_error("Network::skip_idle_until called with packets outstanding");
  if (target <= m.now) return;
  for (auto& q : m.credit_events) {
    for (uint32_t c : q) {
      if (c & Impl::kNiBit) {
        ++m.ni_credits[c & ~Impl::kNiBit];
      } else {
        ++m.credits[c];
      }
    }
    q.clear();
  }
  m.delivered.clear();
  m.ejected.clear();
  m.now = target;
}

const NetworkCounters& Network::counters() const {
  return impl_->counters;
}

bool Network::credits_restored() const {
  const Impl& m = *impl_;
  // Unconnected mesh-edge ports never change, so every output VC can be checked alike.
  for (size_t i = 0; i < m.credits.size(); ++i)
    if (m.credits[i] != static_cast<int32_t>(m.B) || m.busy[i]) return false;
  for (size_t i = 0; i < m.ni_credits.size(); ++i)
    if (m.ni_credits[i] != static_cast<int32_t>(m.B) || m.ni_busy[i]) return false;
  return true;
}

std::string Network::describe_blocked() const {
  return impl_->describe();
}

}  // namespace nocsim::noc
