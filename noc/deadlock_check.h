#pragma once
// Deadlock-freedom check of a routing algorithm on a topology, run before a simulation starts.
// Builds the channel dependency graph (Dally & Seitz): one node per (channel, VC), an edge from A
// to B when some packet may hold A while it asks for B. Where the algorithm states a local turn
// set (RoutingAlgorithm::local_turns) the edges come from it in O(channels x VCs); otherwise every
// (source, destination) route is walked with every choice an adaptive algorithm permits (every
// port, every VC in the mask). Cycles are found with Boost.Graph's strong_components on a
// compressed_sparse_row_graph; one cycle of a non-trivial component is reported readably. (For
// adaptive algorithms acyclicity is sufficient, not necessary: Duato's escape-channel theory admits
// some cyclic graphs, which this check conservatively rejects.)
//
// Tree multicast: a fork replicates each flit to all its branches at once, so while a packet's
// branches hold several outputs, a branch that cannot advance stops the others. When the whole
// packet fits in the fork's input buffer each branch drains on its own and nothing couples; when it
// can be longer, the check adds "sibling" edges between every two network outputs (VCs included)
// that a fork at the same router may hold. A cycle made only of one fork's sibling edges is no
// deadlock, so a cycle is reported only for a strongly connected component that contains at least
// one route edge between its own nodes.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "noc/routing/routing_algorithm.h"
#include "noc/topology.h"

namespace nocsim::noc {

enum class MulticastTrees {
  kNone,         // no tree multicast (unicast, or unicast copies from the network interface)
  kIndependent,  // tree multicast, every multicast packet fits in one VC buffer
  kCoupled,      // tree multicast, a multicast packet can be longer than a VC buffer
};
// The mode a network runs in: tree multicast with packets of up to `max_multicast_flits` flits and
// VC buffers of `vc_buf_size` flits.
MulticastTrees multicast_trees(bool tree_multicast, uint32_t max_multicast_flits,
                               uint32_t vc_buf_size);

// Returns one dependency cycle as "router 3 east vc0 -> router 4 north vc0 -> ... -> back to router
// 3 east vc0" (a sibling edge shows as "=>"), or nullopt when no deadlock is possible. Sibling
// edges are added only for kCoupled and an algorithm with a multicast tree rule. Throws
// std::logic_error when the algorithm itself misbehaves (no choice, an unconnected port, an empty
// VC mask, ejection at the wrong router or port), std::invalid_argument for num_vcs outside [1,
// 32].
std::optional<std::string> find_deadlock_cycle(const Topology& topology,
                                               const RoutingAlgorithm& routing, uint32_t num_vcs,
                                               MulticastTrees multicast = MulticastTrees::kNone);

}  // namespace nocsim::noc
