#include "noc/network_interface.h"

#include <algorithm>
#include <string>

#include "configs/rng.h"
#include "configs/user_error.h"

namespace nocsim::noc::detail {

namespace {

uint32_t new_packet(NetState& s) {
  if (!s.free_packets.empty()) {
    const uint32_t id = s.free_packets.back();
    s.free_packets.pop_back();
    return id;
  }
  s.packets.emplace_back();
  return static_cast<uint32_t>(s.packets.size() - 1);
}

uint32_t new_group(NetState& s) {
  if (!s.free_groups.empty()) {
    const uint32_t id = s.free_groups.back();
    s.free_groups.pop_back();
    return id;
  }
  s.groups.emplace_back();
  return static_cast<uint32_t>(s.groups.size() - 1);
}

// Messages are built only on failure: this runs once per packet.
void check_terminal(const NetState& s, uint32_t t, const char* field) {
  if (t >= s.T) {
    throw UserError(field, "terminal " + std::to_string(t) + " does not exist (" +
                               std::to_string(s.T) + " terminals)");
  }
}

void check_spec(const NetState& s, const PacketSpec& spec) {
  check_terminal(s, spec.source, "packet.source");
  if (spec.dests.empty()) check_terminal(s, spec.dest, "packet.dest");
  if (spec.size_flits < 1 || spec.size_flits > kMaxPacketFlits) {
    throw UserError("packet.size_flits", "must be between 1 and " +
                                             std::to_string(kMaxPacketFlits) + " flits, got " +
                                             std::to_string(spec.size_flits));
  }
  if (spec.traffic_class >= kMaxTrafficClasses) {
    throw UserError("packet.traffic_class", "must be below " + std::to_string(kMaxTrafficClasses) +
                                                ", got " + std::to_string(spec.traffic_class));
  }
  if (!spec.dests.empty() && spec.size_flits > s.mc_max_flits) {
    throw UserError("packet.size_flits", "a multicast packet may have at most " +
                                             std::to_string(s.mc_max_flits) +
                                             " flits (noc.multicast.max_packet_flits), got " +
                                             std::to_string(spec.size_flits));
  }
}

void enqueue(NetState& s, uint32_t source, uint32_t id) {
  s.source_queue[source].push(id);
  s.list_ni(source);
}

}  // namespace

void create_packet(NetState& s, const PacketSpec& spec) {
  check_spec(s, spec);
  const PacketRec base{
      spec.source, spec.dest, spec.size_flits, spec.traffic_class, 0, kNone, spec.tag, s.now, 0};
  uint32_t g = kNone;
  if (!spec.dests.empty()) {
    g = new_group(s);
    McGroup& group = s.groups[g];
    group.dests.assign(spec.dests.begin(), spec.dests.end());
    std::sort(group.dests.begin(), group.dests.end());
    const bool bad =
        group.dests.back() >= s.T ||
        std::adjacent_find(group.dests.begin(), group.dests.end()) != group.dests.end() ||
        std::binary_search(group.dests.begin(), group.dests.end(), spec.source);
    if (bad) {
      s.free_groups.push_back(g);
      throw UserError("packet.dests", "destinations must be distinct terminals below " +
                                          std::to_string(s.T) + " and exclude the source");
    }
    group.remaining = static_cast<uint32_t>(group.dests.size());
    group.max_hops = 0;
    group.first_injected = ~0ull;
  }
  if (s.outstanding == 0) s.last_move = s.now;
  ++s.outstanding;
  if (g == kNone || s.mc_tree) {
    const uint32_t id = new_packet(s);
    s.packets[id] = base;
    s.packets[id].group = g;
    enqueue(s, spec.source, id);
    return;
  }
  for (uint32_t d : s.groups[g].dests) {
    const uint32_t id = new_packet(s);
    s.packets[id] = base;
    s.packets[id].dest = d;
    s.packets[id].group = g;
    enqueue(s, spec.source, id);
  }
}

namespace {

void inject_from(NetState& s, uint32_t t) {
  const uint32_t V = s.V;
  uint32_t pid = s.ni_packet[t];
  if (pid == kNone) {
    if (s.source_queue[t].empty()) return;
    // A new packet needs an injection VC that no other packet of this terminal holds and that has
    // room, searched round-robin from the last one used (BookSim's traffic manager).
    int chosen = -1;
    for (uint32_t i = 1; i <= V; ++i) {
      uint32_t v = s.ni_last_vc[t] + i;
      if (v >= V) v -= V;
      if (!s.ni_busy[t * V + v] && s.ni_credits[t * V + v] > 0) {
        chosen = static_cast<int>(v);
        break;
      }
    }
    if (chosen < 0) return;
    pid = s.source_queue[t].front();
    s.source_queue[t].pop();
    s.ni_packet[t] = pid;
    s.ni_vc[t] = static_cast<uint8_t>(chosen);
    s.ni_seq[t] = 0;
    s.ni_busy[t * V + chosen] = 1;
    s.ni_last_vc[t] = static_cast<uint8_t>(chosen);
    PacketRec& pk = s.packets[pid];
    pk.injected = s.now;
    if (pk.group != kNone) {
      McGroup& g = s.groups[pk.group];
      g.first_injected = std::min(g.first_injected, s.now);
    }
  }
  const uint32_t v = s.ni_vc[t];
  if (s.ni_credits[t * V + v] <= 0) return;
  --s.ni_credits[t * V + v];
  const PacketRec& pk = s.packets[pid];
  Flit f;
  f.packet = pid;
  f.source = pk.source;
  f.dest = pk.dest;
  f.seq = s.ni_seq[t];
  // A per-packet random bit from the network's running flit count: reproducible, and independent
  // of the packet record's index, which the free list reuses.
  if (f.seq == 0 && s.draw_coin)
    f.coin = static_cast<uint8_t>(Rng::hash(s.counters.flits_injected) >> 63);
  const bool tree = pk.group != kNone && s.mc_tree;
  f.flags = static_cast<uint8_t>((f.seq == 0 ? kHead : 0) | (f.seq + 1u == pk.size ? kTail : 0) |
                                 (tree ? kMulticastFlit : 0));
  const uint32_t ivc =
      s.topo.port_index(s.topo.terminal_router(t), s.topo.terminal_port(t)) * V + v;
  s.slot(s.arrivals, s.now + s.rp.link_delay + 1).push_back(FlitEvent{ivc, f});
  ++s.counters.flits_injected;
  s.last_move = s.now;
  if (f.flags & kTail) {
    s.ni_busy[t * V + v] = 0;
    s.ni_packet[t] = kNone;
  } else {
    ++s.ni_seq[t];
  }
}

}  // namespace

void step_interfaces(NetState& s) {
  s.ni_next_list.clear();
  for (uint32_t t : s.ni_list) {
    inject_from(s, t);
    if (s.ni_packet[t] != kNone || !s.source_queue[t].empty()) {
      s.ni_next_list.push_back(t);
    } else {
      s.ni_listed[t] = 0;
    }
  }
  s.ni_list.swap(s.ni_next_list);
}

void eject(NetState& s, uint32_t t, const Flit& f) {
  const uint32_t id = f.packet;
  PacketRec& pk = s.packets[id];
  ++s.counters.flits_ejected;
  if (pk.cls >= s.counters.class_flits_ejected.size())
    s.counters.class_flits_ejected.resize(pk.cls + 1, 0);
  ++s.counters.class_flits_ejected[pk.cls];
  s.ejected.push_back(FlitEjection{pk.tag, pk.created, s.now, f.seq, t});
  ++pk.ejected;
  if (!(f.flags & kTail)) return;
  Delivery d{pk.tag, pk.source, t, pk.size, pk.cls, f.hops, f.hops, pk.created, pk.injected, s.now};
  bool done = true;
  if (pk.group != kNone) {
    McGroup& g = s.groups[pk.group];
    d.multicast = true;
    d.last = --g.remaining == 0;
    done = d.last;
    g.max_hops = std::max(g.max_hops, f.hops);
    if (d.last) {
      d.packet_hops = g.max_hops;
      d.injected = g.first_injected;
      s.free_groups.push_back(pk.group);
    }
  }
  s.delivered.push_back(d);
  // A tree packet's record serves every branch until its last destination has the tail; a unicast
  // copy's record is its own.
  if (done || !s.mc_tree) s.free_packets.push_back(id);
  if (done) --s.outstanding;
}

}  // namespace nocsim::noc::detail
