#include "noc/channel_dependencies.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nocsim::noc {

namespace {

using Edge = std::pair<uint32_t, uint32_t>;

// Collects the distinct dependency edges between (channel, vc) nodes. Per node it keeps one bit per
// (output port, output VC) already recorded, so that the same dependency met again for another
// destination costs a word operation.
class DependencySet {
 public:
  DependencySet(const Topology& t, uint32_t num_vcs, bool track_outputs)
      : t_(t), vcs_(num_vcs), ports_(t.max_ports()), words_((ports_ * vcs_ + 63) / 64) {
    if (track_outputs) router_outputs_.assign(size_t{t.num_routers()} * words_, 0);
  }

  uint32_t node(uint32_t channel, uint32_t vc) const { return channel * vcs_ + vc; }
  uint32_t words() const { return words_; }
  // Bit of (port, vc) in an output set of words() words.
  static void set(uint64_t* bits, uint32_t vcs, PortId port, uint32_t vc) {
    const uint32_t b = port * vcs + vc;
    bits[b / 64] |= uint64_t{1} << (b % 64);
  }
  uint32_t vcs() const { return vcs_; }

  // Dependencies from holding `in_channel` VC `in_vc` to asking for each (port, VC) in `out` at the
  // router that channel leads to.
  void add(uint32_t in_channel, uint32_t in_vc, const uint64_t* out) {
    if (done_.empty()) done_.assign(static_cast<size_t>(t_.channels().size()) * vcs_ * words_, 0);
    const uint32_t from = node(in_channel, in_vc);
    uint64_t* done = &done_[static_cast<size_t>(from) * words_];
    for (uint32_t i = 0; i < words_; ++i) {
      uint64_t fresh = out[i] & ~done[i];
      if (fresh == 0) continue;
      done[i] |= fresh;
      const RouterId at = t_.channels()[in_channel].dst;
      for (; fresh != 0; fresh &= fresh - 1) {
        const uint32_t b = i * 64 + static_cast<uint32_t>(__builtin_ctzll(fresh));
        const auto port = static_cast<PortId>(b / vcs_);
        edges_.emplace_back(from, node(static_cast<uint32_t>(t_.out_channel(at, port)), b % vcs_));
      }
    }
  }

  // Dependencies from (in_channel, in_vc) to each of `out`, known to be new (a local turn set is
  // asked once per node and names each output once).
  void add_fresh(uint32_t in_channel, uint32_t in_vc, const uint64_t* out) {
    const uint32_t from = node(in_channel, in_vc);
    const RouterId at = t_.channels()[in_channel].dst;
    for (uint32_t i = 0; i < words_; ++i) {
      for (uint64_t bits = out[i]; bits != 0; bits &= bits - 1) {
        const uint32_t b = i * 64 + static_cast<uint32_t>(__builtin_ctzll(bits));
        const auto port = static_cast<PortId>(b / vcs_);
        edges_.emplace_back(from, node(static_cast<uint32_t>(t_.out_channel(at, port)), b % vcs_));
      }
    }
  }

  std::vector<Edge>& edges() { return edges_; }

  // Per router, the (port, VC) outputs any packet there may take (for multicast forks).
  bool tracks_outputs() const { return !router_outputs_.empty(); }
  void note_outputs(RouterId at, const uint64_t* out) {
    if (router_outputs_.empty()) return;
    for (uint32_t i = 0; i < words_; ++i) router_outputs_[size_t{at} * words_ + i] |= out[i];
  }
  const uint64_t* router_outputs(RouterId at) const {
    return router_outputs_.empty() ? nullptr : &router_outputs_[size_t{at} * words_];
  }

 private:
  const Topology& t_;
  uint32_t vcs_;
  uint32_t ports_;
  uint32_t words_;
  std::vector<uint64_t> done_;
  std::vector<Edge> edges_;
  std::vector<uint64_t> router_outputs_;  // filled only when multicast forks are checked
};
// Per router, the port of its first terminal (-1 for a router without one). Routing may depend on
// the destination terminal only through the ejection port, so one terminal stands for each router
// as a source and as a destination.
std::vector<int32_t> first_terminal_ports(const Topology& t) {
  std::vector<int32_t> port(t.num_routers(), -1);
  for (uint32_t term = t.num_terminals(); term-- > 0;) {
    port[t.terminal_router(term)] = t.terminal_port(term);
  }
  return port;
}

[[noreturn]] void misbehaves(const Topology& t, const RouteQuery& q, const std::string& what) {
  throw std::logic_error("routing algorithm misbehaves at router " + std::to_string(q.at) +
                         " (arrived on " + t.port_name(q.in_port) + " vc" +
                         std::to_string(q.in_vc) + ", source " + std::to_string(q.source) +
                         ", destination " + std::to_string(q.dest) + "): " + what);
}

// Checks one answer of the algorithm and returns the usable VC mask of choice `c`.
uint32_t checked_mask(const Topology& t, const RouteQuery& q, const RouteChoice& c,
                      uint32_t all_vcs) {
  if (c.port < t.num_ports(q.at) && t.terminal_at(q.at, c.port) >= 0) {
    if (q.at != q.dest || c.port != q.dest_port) {
      misbehaves(t, q, "ejects to " + t.port_name(c.port) + ", not at the destination terminal");
    }
    return 0;
  }
  if (c.port >= t.num_ports(q.at) || t.out_channel(q.at, c.port) < 0) {
    misbehaves(t, q, "chose unconnected port " + t.port_name(c.port));
  }
  const uint32_t mask = c.vc_mask & all_vcs;
  if (mask == 0) misbehaves(t, q, "permits no existing VC on " + t.port_name(c.port));
  return mask;
}

// Deterministic algorithms whose answer depends only on (at, dest): every router is a possible
// source, so each router's single output channel toward a destination is used, and the dependencies
// are exactly "my channel -> my successor's channel" over the routing tree. O(N^2) route calls.
void collect_table_friendly(const Topology& t, const RoutingAlgorithm& alg, uint32_t num_vcs,
                            uint32_t all_vcs, DependencySet& deps) {
  const uint32_t n = t.num_routers();
  const std::vector<int32_t> dest_port = first_terminal_ports(t);
  std::vector<RouteChoice> step(n);
  std::vector<uint64_t> out(deps.words());
  for (RouterId dest = 0; dest < n; ++dest) {
    if (dest_port[dest] < 0) continue;
    for (RouterId at = 0; at < n; ++at) {
      const RouteQuery q{at, kLocal, 0, at, dest, static_cast<PortId>(dest_port[dest])};
      RouteChoices c;
      alg.route(q, c);
      if (c.count != 1)
        misbehaves(t, q, "a table-friendly algorithm gave " + std::to_string(c.count) + " choices");
      step[at] = c.choice[0];
      step[at].vc_mask = checked_mask(t, q, c.choice[0], all_vcs);
      if (!deps.tracks_outputs()) continue;
      std::fill(out.begin(), out.end(), 0);
      for (uint32_t w = 0; w < num_vcs; ++w) {
        if ((step[at].vc_mask >> w) & 1u) DependencySet::set(out.data(), num_vcs, step[at].port, w);
      }
      deps.note_outputs(at, out.data());
    }
    for (RouterId at = 0; at < n; ++at) {
      if (step[at].vc_mask == 0) continue;  // ejection
      const auto ch = static_cast<uint32_t>(t.out_channel(at, step[at].port));
      const RouterId next = t.channels()[ch].dst;
      if (step[next].vc_mask == 0) continue;
      std::fill(out.begin(), out.end(), 0);
      for (uint32_t w = 0; w < num_vcs; ++w) {
        if ((step[next].vc_mask >> w) & 1u)
          DependencySet::set(out.data(), num_vcs, step[next].port, w);
      }
      for (uint32_t v = 0; v < num_vcs; ++v) {
        if ((step[at].vc_mask >> v) & 1u) deps.add(ch, v, out.data());
      }
    }
  }
}

// Everything else: per destination, a search over packet states reached from every source with
// every permitted choice. A state is the algorithm's canonical query (router, and whatever of input
// port, input VC and source it says matters), so packets the algorithm treats alike share one state
// and one route() call; that is what keeps this near O(N^2) for the turn models. The dependencies
// are then "every (channel, VC) a packet arrived into a state on" x "every (port, VC) it may leave
// by", applied once the search of that destination is complete.
void collect_by_search(const Topology& t, const RoutingAlgorithm& alg, uint32_t num_vcs,
                       uint32_t all_vcs, DependencySet& deps) {
  const uint32_t n = t.num_routers();
  const uint32_t ports = t.max_ports();

  struct State {
    RouteQuery q;
    uint32_t next_same_place;  // next state with the same (router, input port, input VC), or ~0
  };
  struct Arrival {
    uint32_t channel;
    uint32_t vc;
    uint32_t state;
  };
  std::vector<State> states;
  std::vector<uint64_t> outs;  // per state, deps.words() words: the (port, VC) pairs it may take
  const uint32_t words = deps.words();
  std::vector<Arrival> arrivals;
  std::vector<uint32_t> stack;
  // State lookup: a flat table over (router, input port, input VC) holding the first state there,
  // chained to the others that differ by canonical source (few: the algorithm merges sources).
  // Entries of earlier destinations are recognised by their epoch, so nothing is cleared. Indexed
  // by router, lookups stay near each other as the search moves between neighbours.
  struct Place {
    uint32_t epoch = 0;
    uint32_t first = 0;
  };
  std::vector<Place> places(static_cast<size_t>(n) * ports * num_vcs);
  uint32_t epoch = 0;

  // The previous answer, because consecutive lookups (one per VC of the same hop) usually name the
  // same state.
  RouteQuery last{};
  uint32_t last_state = ~0u;
  auto same = [](const RouteQuery& a, const RouteQuery& b) {
    return a.at == b.at && a.source == b.source && a.in_port == b.in_port && a.in_vc == b.in_vc &&
           a.coin == b.coin;
  };
  auto state_of = [&](const RouteQuery& actual) {
    const RouteQuery c = alg.canonical_query(actual);
    if (c.at != actual.at || c.dest != actual.dest || c.dest_port != actual.dest_port ||
        c.source >= n || c.in_port >= ports || c.in_vc >= num_vcs) {
      misbehaves(t, actual,
                 "canonical_query changed the router or destination, or is out of range");
    }
    if (last_state != ~0u && same(c, last)) return last_state;
    last = c;
    Place& place = places[(static_cast<size_t>(c.at) * ports + c.in_port) * num_vcs + c.in_vc];
    uint32_t found = ~0u;
    if (place.epoch == epoch) {
      for (uint32_t i = place.first; i != ~0u; i = states[i].next_same_place) {
        if (states[i].q.source == c.source && states[i].q.coin == c.coin) {
          found = i;
          break;
        }
      }
    } else {
      place.epoch = epoch;
      place.first = ~0u;
    }
    if (found == ~0u) {
      found = static_cast<uint32_t>(states.size());
      states.push_back(State{c, place.first});
      place.first = found;
      stack.push_back(found);
    }
    return last_state = found;
  };

  const std::vector<int32_t> dest_port = first_terminal_ports(t);
  for (RouterId dest = 0; dest < n; ++dest) {
    if (dest_port[dest] < 0) continue;
    const auto dport = static_cast<PortId>(dest_port[dest]);
    ++epoch;
    last_state = ~0u;
    states.clear();
    outs.clear();
    arrivals.clear();
    for (RouterId src = 0; src < n; ++src) {
      if (src == dest || dest_port[src] < 0) continue;
      // A packet's coin is drawn at injection: an algorithm that reads it is walked both ways.
      for (uint8_t coin = 0; coin <= (alg.uses_coin() ? 1 : 0); ++coin) {
        for (uint32_t v = 0; v < num_vcs; ++v) {
          state_of(RouteQuery{src, static_cast<PortId>(dest_port[src]), static_cast<uint8_t>(v),
                              src, dest, dport, coin});
        }
      }
    }
    while (!stack.empty()) {
      const uint32_t si = stack.back();
      stack.pop_back();
      const RouteQuery q = states[si].q;
      RouteChoices c;
      alg.route(q, c);
      if (c.count == 0) misbehaves(t, q, "gave no choice");
      outs.resize(states.size() * words, 0);
      for (uint8_t i = 0; i < c.count; ++i) {
        const uint32_t mask = checked_mask(t, q, c.choice[i], all_vcs);
        if (mask == 0) continue;  // ejection
        const PortId out = c.choice[i].port;
        const auto ch = static_cast<uint32_t>(t.out_channel(q.at, out));
        const Channel& link = t.channels()[ch];
        for (uint32_t w = 0; w < num_vcs; ++w) {
          if (!((mask >> w) & 1u)) continue;
          DependencySet::set(&outs[si * words], num_vcs, out, w);
          const uint32_t next = state_of(RouteQuery{
              link.dst, link.dst_port, static_cast<uint8_t>(w), q.source, dest, dport, q.coin});
          arrivals.push_back(Arrival{ch, w, next});
        }
      }
      deps.note_outputs(q.at, &outs[si * words]);
    }
    outs.resize(states.size() * words, 0);
    for (const Arrival& a : arrivals) deps.add(a.channel, a.vc, &outs[a.state * words]);
  }
}

// Algorithms with a local turn set: each (channel, VC) node's edges straight from the rule, in node
// order, O(channels x VCs) calls. The rule is also asked at terminal ports for multicast forks.
bool collect_by_local_rule(const Topology& t, const RoutingAlgorithm& alg, uint32_t num_vcs,
                           uint32_t all_vcs, DependencySet& deps) {
  std::vector<uint64_t> out(deps.words());
  auto turns = [&](RouterId at, PortId in_port, uint32_t in_vc) -> bool {
    RouteChoices c;
    if (!alg.local_turns(at, in_port, static_cast<uint8_t>(in_vc), c)) return false;
    std::fill(out.begin(), out.end(), 0);
    for (uint8_t i = 0; i < c.count; ++i) {
      const RouteChoice& ch = c.choice[i];
      const RouteQuery q{at, in_port, static_cast<uint8_t>(in_vc), at, at, 0};
      if (ch.port >= t.num_ports(at) || t.out_channel(at, ch.port) < 0) {
        misbehaves(t, q, "local turn set names " + t.port_name(ch.port) + ", not a link");
      }
      const uint32_t mask = ch.vc_mask & all_vcs;
      if (mask == 0) misbehaves(t, q, "local turn set permits no VC on " + t.port_name(ch.port));
      for (uint32_t w = 0; w < num_vcs; ++w) {
        if ((mask >> w) & 1u) DependencySet::set(out.data(), num_vcs, ch.port, w);
      }
    }
    deps.note_outputs(at, out.data());
    return true;
  };
  for (uint32_t ch = 0; ch < t.channels().size(); ++ch) {
    const Channel& link = t.channels()[ch];
    for (uint32_t v = 0; v < num_vcs; ++v) {
      if (!turns(link.dst, link.dst_port, v)) {
        if (ch == 0 && v == 0) return false;
        throw std::logic_error("routing algorithm states a local turn set for some inputs only");
      }
      deps.add_fresh(ch, v, out.data());
    }
  }
  if (deps.tracks_outputs()) {
    for (uint32_t term = 0; term < t.num_terminals(); ++term) {
      for (uint32_t v = 0; v < num_vcs; ++v)
        turns(t.terminal_router(term), t.terminal_port(term), v);
    }
  }
  return true;
}

void collect(const Topology& t, const RoutingAlgorithm& alg, uint32_t num_vcs, DependencySet& deps,
             std::optional<DependencySource> source) {
  const uint32_t all_vcs = num_vcs == 32 ? ~0u : (1u << num_vcs) - 1;
  if (source != DependencySource::kEveryRoute &&
      collect_by_local_rule(t, alg, num_vcs, all_vcs, deps)) {
    return;
  }
  if (source == DependencySource::kLocalRule) {
    throw std::logic_error("routing algorithm has no local turn set");
  }
  if (alg.table_friendly()) {
    collect_table_friendly(t, alg, num_vcs, all_vcs, deps);
  } else {
    collect_by_search(t, alg, num_vcs, all_vcs, deps);
  }
}
// A fork at router r may hold any two of the network outputs packets there take: an edge each way
// between every two of them on different ports.
std::vector<Edge> sibling_edges(const Topology& t, uint32_t num_vcs, const DependencySet& deps) {
  std::vector<Edge> edges;
  std::vector<uint32_t> nodes;
  for (RouterId r = 0; r < t.num_routers(); ++r) {
    const uint64_t* bits = deps.router_outputs(r);
    nodes.clear();
    for (uint32_t b = 0; b < t.num_ports(r) * num_vcs; ++b) {
      if ((bits[b / 64] >> (b % 64)) & 1u) {
        const auto port = static_cast<PortId>(b / num_vcs);
        nodes.push_back(static_cast<uint32_t>(t.out_channel(r, port)) * num_vcs + b % num_vcs);
      }
    }
    for (uint32_t a : nodes) {
      for (uint32_t b : nodes) {
        if (a / num_vcs != b / num_vcs) edges.emplace_back(a, b);
      }
    }
  }
  std::sort(edges.begin(), edges.end());
  return edges;
}
}  // namespace

ChannelDependencies channel_dependencies(const Topology& topology, const RoutingAlgorithm& routing,
                                         uint32_t num_vcs, bool forks,
                                         std::optional<DependencySource> source) {
  if (num_vcs == 0 || num_vcs > 32) {
    throw std::invalid_argument("channel dependencies: num_vcs must be in [1, 32]");
  }
  DependencySet deps(topology, num_vcs, forks);
  collect(topology, routing, num_vcs, deps, source);
  ChannelDependencies out;
  out.route = std::move(deps.edges());
  if (forks) out.sibling = sibling_edges(topology, num_vcs, deps);
  return out;
}

std::vector<std::pair<uint32_t, uint32_t>> route_dependencies(const Topology& topology,
                                                              const RoutingAlgorithm& routing,
                                                              uint32_t num_vcs,
                                                              DependencySource source) {
  std::vector<Edge> edges = channel_dependencies(topology, routing, num_vcs, false, source).route;
  std::sort(edges.begin(), edges.end());
  return edges;
}

}  // namespace nocsim::noc
