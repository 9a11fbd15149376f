#pragma once
// Test helper: explores every route a routing algorithm permits between two routers, following
// every port and every VC it offers, and shows each (state, choice) step to a callback exactly
// once.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc::testing {

inline config::NocConfig noc_config(const std::string& algorithm, uint32_t num_vcs = 2,
                                    bool allow_deadlock_prone = false) {
  config::NocConfig cfg;
  cfg.mutable_routing()->set_algorithm(algorithm);
  cfg.mutable_routing()->set_allow_deadlock_prone(allow_deadlock_prone);
  cfg.mutable_router()->set_num_vcs(num_vcs);
  return cfg;
}

inline std::unique_ptr<RoutingAlgorithm> make_routing(const Topology& t,
                                                      const config::NocConfig& cfg) {
  return routing_registry().create(cfg.routing().algorithm(), "noc.routing.algorithm", t, cfg);
}

// The algorithm, or nullptr where it is not defined (it refuses the topology or the VC count with a
// UserError).
inline std::unique_ptr<RoutingAlgorithm> make_routing_if_defined(const Topology& t,
                                                                 const config::NocConfig& cfg) {
  try {
    return make_routing(t, cfg);
  } catch (const UserError&) {
    return nullptr;
  }
}

// visit(const RouteQuery&, const RouteChoice&) for each reachable step; a step out of a connected
// port continues the exploration. Returns false (after a test failure) when a route cannot go on.
template <class Visit>
bool for_each_step(const Topology& t, const RoutingAlgorithm& alg, uint32_t num_vcs, RouterId s,
                   RouterId d, Visit&& visit) {
  std::set<std::tuple<RouterId, PortId, uint8_t, uint8_t>> seen;
  std::vector<RouteQuery> todo;
  // An algorithm that reads the packet's coin is walked with both.
  for (uint8_t coin = 0; coin <= (alg.uses_coin() ? 1 : 0); ++coin) {
    for (uint32_t v = 0; v < num_vcs; ++v) {
      todo.push_back(RouteQuery{s, kLocal, static_cast<uint8_t>(v), s, d, 0, coin});
    }
  }
  while (!todo.empty()) {
    const RouteQuery q = todo.back();
    todo.pop_back();
    if (!seen.insert({q.at, q.in_port, q.in_vc, q.coin}).second) continue;
    RouteChoices c;
    alg.route(q, c);
    if (c.count == 0) {
      ADD_FAILURE() << "no choice at router " << q.at << " for " << s << " -> " << d;
      return false;
    }
    for (uint8_t i = 0; i < c.count; ++i) {
      const RouteChoice ch = c.choice[i];
      visit(q, ch);
      if (ch.port == kLocal) continue;
      if (ch.port >= t.num_ports(q.at) || t.out_channel(q.at, ch.port) < 0) {
        ADD_FAILURE() << "unconnected port " << int(ch.port) << " at router " << q.at;
        return false;
      }
      const Channel& link = t.channels()[t.out_channel(q.at, ch.port)];
      for (uint32_t v = 0; v < num_vcs; ++v) {
        if ((ch.vc_mask >> v) & 1u) {
          todo.push_back(
              RouteQuery{link.dst, link.dst_port, static_cast<uint8_t>(v), s, d, 0, q.coin});
        }
      }
    }
  }
  return true;
}

struct Hop {
  RouterId router;
  PortId port;
  uint32_t vc_mask;
};

// Follows a deterministic algorithm from router s to router d, taking the lowest permitted VC; the
// packet's coin is the same at every hop.
inline std::vector<Hop> walk(const Topology& t, const RoutingAlgorithm& alg, RouterId s, RouterId d,
                             uint8_t coin = 0) {
  std::vector<Hop> path;
  RouteQuery q{s, kLocal, 0, s, d};
  q.coin = coin;
  for (int guard = 0; guard < 1000; ++guard) {
    RouteChoices c;
    alg.route(q, c);
    EXPECT_EQ(c.count, 1);
    const RouteChoice ch = c.choice[0];
    path.push_back(Hop{q.at, ch.port, ch.vc_mask});
    if (ch.port == kLocal) return path;
    const Channel& link = t.channels()[t.out_channel(q.at, ch.port)];
    q.at = link.dst;
    q.in_port = link.dst_port;
    q.in_vc = static_cast<uint8_t>(__builtin_ctz(ch.vc_mask));
  }
  ADD_FAILURE() << "route from " << s << " to " << d << " does not end";
  return path;
}

// Direction a packet is travelling when it arrives on input port p (it came in from that side).
using routing_detail::travelling;

}  // namespace nocsim::noc::testing
