#include "noc/deadlock_check.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>

#include "noc/channel_dependencies.h"

namespace nocsim::noc {

namespace {

using Edge = std::pair<uint32_t, uint32_t>;
using Cdg =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, uint32_t, uint32_t>;

void sort_by_source(std::vector<Edge>& edges) {
  if (!std::is_sorted(edges.begin(), edges.end(),
                      [](const Edge& a, const Edge& b) { return a.first < b.first; })) {
    std::sort(edges.begin(), edges.end());
  }
}
std::string describe(const Topology& t, uint32_t num_vcs, uint32_t node) {
  const Channel& ch = t.channels()[node / num_vcs];
  return "router " + std::to_string(ch.src) + " " + t.port_name(ch.src_port) + " vc" +
         std::to_string(node % num_vcs);
}

// The cycle closed by route edge u -> v inside u's component: a shortest path v ~> u within it.
std::string describe_cycle(const Topology& t, uint32_t num_vcs, const Cdg& g,
                           const std::vector<uint8_t>& sibling, const std::vector<uint32_t>& comp,
                           uint32_t u, uint32_t v) {
  std::vector<uint32_t> parent_edge(boost::num_vertices(g), ~0u);
  std::vector<uint32_t> queue{v};
  std::vector<uint8_t> seen(boost::num_vertices(g), 0);
  seen[v] = 1;
  for (size_t head = 0; head < queue.size() && !seen[u]; ++head) {
    const uint32_t a = queue[head];
    for (auto [it, end] = boost::out_edges(a, g); it != end; ++it) {
      const uint32_t b = boost::target(*it, g);
      if (seen[b] || comp[b] != comp[u]) continue;
      seen[b] = 1;
      parent_edge[b] = static_cast<uint32_t>(boost::get(boost::edge_index, g, *it));
      queue.push_back(b);
    }
  }
  std::vector<uint32_t> path{u};  // u back to v, reversed below
  std::vector<uint8_t> via_sibling;
  for (uint32_t w = u; w != v;) {
    const uint32_t e = parent_edge[w];
    via_sibling.push_back(sibling[e]);
    w = boost::source(boost::edge_from_index(e, g), g);
    path.push_back(w);
  }
  std::reverse(path.begin(), path.end());
  std::reverse(via_sibling.begin(), via_sibling.end());
  std::string text = describe(t, num_vcs, path[0]);
  for (size_t i = 1; i < path.size(); ++i) {
    text += (via_sibling[i - 1] ? " => " : " -> ") + describe(t, num_vcs, path[i]);
  }
  text += " -> back to " + describe(t, num_vcs, v);
  if (std::find(via_sibling.begin(), via_sibling.end(), 1) != via_sibling.end()) {
    text += " (=>: a multicast fork holding the first output waits for its branch on the second)";
  }
  return text;
}
}  // namespace

MulticastTrees multicast_trees(bool tree_multicast, uint32_t max_multicast_flits,
                               uint32_t vc_buf_size) {
  if (!tree_multicast) return MulticastTrees::kNone;
  return max_multicast_flits > vc_buf_size ? MulticastTrees::kCoupled
                                           : MulticastTrees::kIndependent;
}

std::optional<std::string> find_deadlock_cycle(const Topology& topology,
                                               const RoutingAlgorithm& routing, uint32_t num_vcs,
                                               MulticastTrees multicast) {
  if (num_vcs == 0 || num_vcs > 32) {
    throw std::invalid_argument("find_deadlock_cycle: num_vcs must be in [1, 32]");
  }
  const bool forks = multicast == MulticastTrees::kCoupled && routing.has_multicast_tree();
  ChannelDependencies deps = channel_dependencies(topology, routing, num_vcs, forks, std::nullopt);

  // Route edges (distinct already) and sibling edges merged by source; a pair that is both keeps
  // its route edge.
  std::vector<Edge> edges = std::move(deps.route);
  sort_by_source(edges);
  std::vector<uint8_t> sibling;
  if (forks) {
    std::sort(edges.begin(), edges.end());
    const std::vector<Edge>& siblings = deps.sibling;
    std::vector<Edge> merged;
    merged.reserve(edges.size() + siblings.size());
    size_t i = 0, j = 0;
    while (i < edges.size() || j < siblings.size()) {
      if (j == siblings.size() || (i < edges.size() && edges[i] <= siblings[j])) {
        if (j < siblings.size() && edges[i] == siblings[j]) ++j;
        merged.push_back(edges[i++]);
        sibling.push_back(0);
      } else {
        merged.push_back(siblings[j++]);
        sibling.push_back(1);
      }
    }
    edges = std::move(merged);
  } else {
    sibling.assign(edges.size(), 0);
  }

  const auto nodes = static_cast<uint32_t>(topology.channels().size() * num_vcs);
  const Cdg g(boost::edges_are_sorted, edges.begin(), edges.end(), nodes);
  std::vector<Edge>().swap(edges);  // the graph holds them now
  std::vector<uint32_t> comp(nodes);
  boost::strong_components(
      g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
  // The first route edge (in node order) inside one component closes a cycle there.
  for (uint32_t u = 0; u < nodes; ++u) {
    for (auto [it, end] = boost::out_edges(u, g); it != end; ++it) {
      const uint32_t v = boost::target(*it, g);
      if (comp[u] == comp[v] && !sibling[boost::get(boost::edge_index, g, *it)]) {
        return describe_cycle(topology, num_vcs, g, sibling, comp, u, v);
      }
    }
  }
  return std::nullopt;
}

}  // namespace nocsim::noc
