#pragma once
// A routing algorithm says which output ports (and which VCs on them) a packet may take at a
// router. It is asked once per packet per hop (when the head flit reaches route computation), never
// per flit; deterministic algorithms may be compiled into a table by the engine. Adaptive
// algorithms return several choices and the router picks among them by downstream credits.
//
// Add one: a .cc file in noc/routing/ with a class deriving from RoutingAlgorithm, constructed from
// (const Topology&, const config::NocConfig&), and one NOCSIM_REGISTER(routing_registry(), ...)
// line.
#include <array>
#include <cstdint>
#include <span>

#include "configs/registry.h"
#include "configs/schema/noc.pb.h"
#include "noc/topology.h"

namespace nocsim::noc {

inline constexpr int kMaxRouteChoices = 8;

struct RouteChoice {
  PortId port = 0;
  uint32_t vc_mask = ~0u;  // bit v set = the packet may use VC v of that output port
};

struct RouteChoices {
  std::array<RouteChoice, kMaxRouteChoices> choice{};
  uint8_t count = 0;
  void add(PortId port, uint32_t vc_mask = ~0u) { choice[count++] = RouteChoice{port, vc_mask}; }
};

struct RouteQuery {
  RouterId at = 0;       // current router
  PortId in_port = 0;    // port the head arrived on (0 = injected by the local terminal)
  uint8_t in_vc = 0;     // VC it occupies there
  RouterId source = 0;   // router the packet was injected at
  RouterId dest = 0;     // router it must be ejected at
  PortId dest_port = 0;  // the destination terminal's port there (Topology::terminal_port)
  // A random bit of the packet, the same at every router, for a choice it may make either way (a
  // torus's half-way ties). Queries without a packet (tables, checks) leave it 0; an algorithm that
  // reads it must offer both choices in its local turn set.
  uint8_t coin = 0;
};

class RoutingAlgorithm {
 public:
  virtual ~RoutingAlgorithm() = default;
  // Fills `out` with at least one choice; at the destination router that is the destination
  // terminal's port, q.dest_port (several terminals may share a router).
  virtual void route(const RouteQuery& q, RouteChoices& out) const = 0;
  // True when the choices depend only on (at, dest) (and, at the destination router, on dest_port):
  // the engine may then precompute a table.
  virtual bool table_friendly() const { return false; }
  // True when route() can return more than one port.
  virtual bool adaptive() const { return false; }
  // True when route() reads RouteQuery::coin; only then does the engine draw one per packet.
  virtual bool uses_coin() const { return false; }
  // For tools that walk every route (the deadlock check): a query that route() answers exactly like
  // q, and whose source stands for q.source at every later hop of the same packet. Fields the
  // algorithm ignores may be zeroed and sources it treats alike merged (`at`, `dest` and
  // `dest_port` must stay), which lets those tools share work between packets. The default, q
  // itself, is always correct.
  virtual RouteQuery canonical_query(const RouteQuery& q) const { return q; }

  // Local turn set, for the deadlock check: fills `out` with every network output (port, VC mask)
  // that some packet holding VC `in_vc` of input `in_port` at router `at` may ask for, as a union
  // over all packets (ejection left out; each port at most once). `in_port` is a channel's input or
  // a terminal port (packets injected there). Returns false, always, when the algorithm has no such
  // rule: the check then walks every (source, destination) route instead, which costs O(N^2). A
  // rule must give a superset of those walks and should give exactly them on meshes
  // (tests/noc/deadlock_check_test.cc compares the two for every registered algorithm).
  virtual bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const {
    (void)at, (void)in_port, (void)in_vc, (void)out;
    return false;
  }

  // Tree multicast. An algorithm with a tree rule returns, for a multicast head that arrived at
  // `at` on `in_port`, the set of output ports (bit p = port p) it must be copied to so that it
  // reaches each of `dests` (destination terminals) whose path from the packet's source passes
  // through here; the copies then follow the same rule downstream. The tree must be the union of
  // the algorithm's unicast paths (so the deadlock check's unicast dependencies cover its edges).
  // Without a rule the network sends unicast copies from the source's interface instead.
  virtual bool has_multicast_tree() const { return false; }
  virtual uint64_t multicast_ports(RouterId at, PortId in_port,
                                   std::span<const uint32_t> dests) const {
    (void)at, (void)in_port, (void)dests;
    return 0;
  }
};

using RoutingRegistry = Registry<RoutingAlgorithm, const Topology&, const config::NocConfig&>;
RoutingRegistry& routing_registry();

}  // namespace nocsim::noc
