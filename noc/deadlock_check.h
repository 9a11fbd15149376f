#pragma once
// Deadlock-freedom check of a routing algorithm on a topology, run before a simulation starts.
// Builds the channel dependency graph (Dally & Seitz): one node per (channel, VC), an edge from A
// to B when some packet may hold A while it asks for B. It enumerates every (source, destination)
// route with every choice an adaptive algorithm permits (every port, every VC in the mask), then
// looks for a cycle with a Boost.Graph depth-first search. No cycle means no deadlock is possible;
// a cycle is reported readably. (For adaptive algorithms acyclicity is sufficient, not necessary:
// Duato's escape-channel theory admits some cyclic graphs, which this check conservatively
// rejects.)
#include <cstdint>
#include <optional>
#include <string>

#include "noc/routing/routing_algorithm.h"
#include "noc/topology.h"

namespace nocsim::noc {

// How the network copies multicast packets, which decides the dependencies a fork adds. A tree is
// the union of unicast paths, so its route edges are the unicast ones; kCoupled (a multicast packet
// may be longer than its input VC buffer) also makes a fork's branches wait on each other.
enum class MulticastTrees { kNone, kIndependent, kCoupled };

// Returns one dependency cycle as "router 3 east vc0 -> router 4 north vc0 -> ... -> back to router
// 3 east vc0", or nullopt when the graph is acyclic. Throws std::logic_error when the algorithm
// itself misbehaves (no choice, an unconnected port, an empty VC mask, ejection at the wrong
// router).
std::optional<std::string> find_deadlock_cycle(const Topology& topology,
                                               const RoutingAlgorithm& routing, uint32_t num_vcs,
                                               MulticastTrees trees = MulticastTrees::kNone);

}  // namespace nocsim::noc
