#pragma once
// The channel dependencies a routing algorithm creates: nodes are (channel, VC), numbered
// channel * num_vcs + vc, and (A, B) means some packet may hold A while it asks for B. From the
// algorithm's local turn set (RoutingAlgorithm::local_turns) in O(channels x VCs) where it states
// one, otherwise by walking every (source, destination) route with every choice the algorithm
// permits. The deadlock check (deadlock_check.h) searches the result for cycles.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "noc/routing/routing_algorithm.h"
#include "noc/topology.h"

namespace nocsim::noc {

enum class DependencySource { kLocalRule, kEveryRoute };

struct ChannelDependencies {
  // Distinct; grouped by source node when they come from a local rule, unordered otherwise.
  std::vector<std::pair<uint32_t, uint32_t>> route;
  // With `forks`: each way between every two network outputs (different ports, any VCs) that
  // packets at one router may take, i.e. what a multicast fork may hold at once. Sorted.
  std::vector<std::pair<uint32_t, uint32_t>> sibling;
};

// `source` nullopt: the local rule where there is one, the route walk otherwise; kLocalRule throws
// std::logic_error without a rule. Also std::logic_error when the algorithm misbehaves (no choice,
// an unconnected port, an empty VC mask, ejection at the wrong router or port), and
// std::invalid_argument for num_vcs outside [1, 32].
ChannelDependencies channel_dependencies(const Topology& topology, const RoutingAlgorithm& routing,
                                         uint32_t num_vcs, bool forks,
                                         std::optional<DependencySource> source);

// The route dependencies, sorted: for tests comparing the local rule with the route walk.
std::vector<std::pair<uint32_t, uint32_t>> route_dependencies(const Topology& topology,
                                                              const RoutingAlgorithm& routing,
                                                              uint32_t num_vcs,
                                                              DependencySource source);

}  // namespace nocsim::noc
