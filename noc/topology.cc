#include "noc/topology.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "noc/topologies/topology_builder.h"

namespace nocsim::noc {

namespace {

uint32_t line_distance(uint32_t a, uint32_t b, uint32_t k, bool wrap) {
  const uint32_t d = a > b ? a - b : b - a;
  return wrap ? std::min(d, k - d) : d;
}

}  // namespace

uint32_t Grid::distance(RouterId a, RouterId b) const {
  return line_distance(x(a), x(b), k_x, wrap_x) + line_distance(y(a), y(b), k_y, wrap_y);
}

void Topology::add_channel(RouterId src, PortId src_port, RouterId dst, PortId dst_port,
                           double len) {
  channels_.push_back(Channel{src, src_port, dst, dst_port, len});
}

void Topology::finish(const std::vector<uint32_t>& ports_per_router,
                      const std::vector<Terminal>& terminals, std::optional<Grid> grid) {
  grid_ = grid;
  num_routers_ = static_cast<uint32_t>(ports_per_router.size());
  port_offset_.assign(num_routers_ + 1, 0);
  max_ports_ = 0;
  for (uint32_t r = 0; r < num_routers_; ++r) {
    port_offset_[r + 1] = port_offset_[r] + ports_per_router[r];
    max_ports_ = std::max(max_ports_, ports_per_router[r]);
  }
  out_channel_.assign(port_offset_.back(), -1);
  graph_ = TopologyGraph(num_routers_);
  for (uint32_t c = 0; c < channels_.size(); ++c) {
    const Channel& ch = channels_[c];
    if (ch.src >= num_routers_ || ch.dst >= num_routers_ || ch.src_port >= num_ports(ch.src) ||
        ch.dst_port >= num_ports(ch.dst) || out_channel(ch.src, ch.src_port) >= 0) {
      throw std::logic_error("topology builder: channel " + std::to_string(c) +
                             " is out of range or reuses an output port");
    }
    out_channel_[port_index(ch.src, ch.src_port)] = static_cast<int32_t>(c);
    boost::add_edge(ch.src, ch.dst, ChannelEdge{c}, graph_);
  }
  terminal_router_.resize(terminals.size());
  terminal_port_.resize(terminals.size());
  terminal_at_.assign(port_offset_.back(), -1);
  for (uint32_t t = 0; t < terminals.size(); ++t) {
    const auto [r, p] = terminals[t];
    if (r >= num_routers_ || p >= num_ports(r) || out_channel(r, p) >= 0 ||
        terminal_at(r, p) >= 0) {
      throw std::logic_error("topology builder: terminal " + std::to_string(t) +
                             " is on a missing, linked or shared port");
    }
    terminal_router_[t] = r;
    terminal_port_[t] = p;
    terminal_at_[port_index(r, p)] = static_cast<int32_t>(t);
  }
  if (grid_) return;

  // All-pairs hop counts by BFS from every router.
  const uint32_t n = num_routers_;
  constexpr uint32_t kUnreached = std::numeric_limits<uint32_t>::max();
  hop_distance_.assign(static_cast<size_t>(n) * n, kUnreached);
  std::vector<RouterId> queue;
  queue.reserve(n);
  for (RouterId s = 0; s < n; ++s) {
    uint32_t* dist = &hop_distance_[static_cast<size_t>(s) * n];
    queue.assign(1, s);
    dist[s] = 0;
    for (size_t head = 0; head < queue.size(); ++head) {
      const RouterId u = queue[head];
      for (PortId p = 0; p < num_ports(u); ++p) {
        if (out_channel(u, p) < 0) continue;
        const RouterId v = neighbor(u, p);
        if (dist[v] == kUnreached) {
          dist[v] = dist[u] + 1;
          queue.push_back(v);
        }
      }
    }
    if (queue.size() != n) {
      throw std::logic_error("topology builder: router " + std::to_string(s) +
                             " does not reach every router");
    }
  }
}

Topology Topology::from_config(const config::TopologyConfig& cfg) {
  const std::string kind = cfg.kind().empty() ? "mesh" : cfg.kind();
  return topology_registry().create(kind, "noc.topology.kind", cfg)->build();
}

Topology Topology::mesh(uint32_t k_x, uint32_t k_y, double link_length_mm) {
  config::TopologyConfig cfg;
  cfg.set_kind("mesh");
  cfg.set_k_x(k_x);
  cfg.set_k_y(k_y);
  cfg.set_link_length_mm(link_length_mm);
  return from_config(cfg);
}

Topology Topology::torus(uint32_t k_x, uint32_t k_y, double link_length_mm) {
  config::TopologyConfig cfg;
  cfg.set_kind("torus");
  cfg.set_k_x(k_x);
  cfg.set_k_y(k_y);
  cfg.set_link_length_mm(link_length_mm);
  return from_config(cfg);
}

Topology Topology::from_graph_file(const std::string& path) {
  config::TopologyConfig cfg;
  cfg.set_kind("graph");
  cfg.set_graph_file(path);
  return from_config(cfg);
}

uint32_t Topology::distance(RouterId a, RouterId b) const {
  if (grid_) return grid_->distance(a, b);
  return hop_distance_[static_cast<size_t>(a) * num_routers_ + b];
}

std::string Topology::port_name(PortId p) const {
  if (p == 0) return "local";
  if (grid_) {
    static const char* const kNames[kMeshPorts] = {"local", "east", "west", "north", "south"};
    if (p < kMeshPorts) return kNames[p];
    return "local " + std::to_string(p - kMeshPorts + 1);
  }
  return "port " + std::to_string(p);
}

}  // namespace nocsim::noc
