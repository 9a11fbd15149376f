// Table-based shortest-path routing for any topology, graph files included. For every destination a
// Boost.Graph breadth-first search over the reversed channel graph gives each router's hop count;
// a router's table entry is its lowest-numbered port that gets one hop closer. On a mesh that tie
// rule prefers east/west over north/south, i.e. it reproduces xy; on other graphs the result is
// minimal and deterministic but not necessarily deadlock free, which the deadlock check reports.
#include <algorithm>
#include <limits>
#include <vector>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>

#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class TableRouting : public RoutingAlgorithm {
 public:
  TableRouting(const Topology& t, const config::NocConfig&) : n_(t.num_routers()) {
    next_port_.assign(static_cast<size_t>(n_) * n_, kLocal);
    // BFS from the destination along reversed channels gives every router's hops *to* it. The
    // topology graph is directedS (no in-edges), so the reverse is built once here.
    TopologyGraph reversed(n_);
    for (auto [it, end] = boost::edges(t.graph()); it != end; ++it) {
      boost::add_edge(boost::target(*it, t.graph()), boost::source(*it, t.graph()), reversed);
    }
    std::vector<uint32_t> hops(n_);
    for (RouterId dest = 0; dest < n_; ++dest) {
      std::fill(hops.begin(), hops.end(), std::numeric_limits<uint32_t>::max());
      hops[dest] = 0;
      boost::breadth_first_search(reversed, boost::vertex(dest, reversed),
                                  boost::visitor(boost::make_bfs_visitor(boost::record_distances(
                                      hops.data(), boost::on_tree_edge()))));
      for (RouterId at = 0; at < n_; ++at) {
        if (at == dest) continue;
        // A disconnected pair cannot happen: topologies are checked connected when built.
        for (PortId p = 0; p < t.num_ports(at); ++p) {
          if (t.out_channel(at, p) >= 0 && hops[t.neighbor(at, p)] + 1 == hops[at]) {
            next_port_[static_cast<size_t>(at) * n_ + dest] = p;
            break;
          }
        }
      }
    }
  }

  void route(const RouteQuery& q, RouteChoices& out) const override {
    out.add(q.at == q.dest ? q.dest_port : next_port_[static_cast<size_t>(q.at) * n_ + q.dest]);
  }
  bool table_friendly() const override { return true; }
  RouteQuery canonical_query(const RouteQuery& q) const override {
    return RouteQuery{q.at, kLocal, 0, 0, q.dest, q.dest_port};  // only (at, dest) matter
  }

 private:
  uint32_t n_;
  std::vector<PortId> next_port_;  // [at * n + dest]; at the destination, q.dest_port
};

NOCSIM_REGISTER(routing_registry(), TableRouting, "table",
                "shortest-path table from Boost.Graph BFS, any topology (deterministic)");

}  // namespace nocsim::noc
