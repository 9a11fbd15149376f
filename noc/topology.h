#pragma once
// The network's shape: routers, their ports and the directed channels between them. Built on a
// Boost.Graph graph (for shortest paths and cycle checks) and mirrored into flat per-port arrays
// for the simulator's hot loop. Every router has exactly one terminal, attached at port 0.
#include <cstdint>
#include <string>
#include <vector>

// GCC 12 reports a false maybe-uninitialized inside adjacency_list's copy (an optional iterator
// pair) wherever a Topology is copied; the pragma scopes the silence to Boost's own lines.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#pragma GCC diagnostic pop

#include "configs/schema/noc.pb.h"

namespace nocsim::noc {

using RouterId = uint32_t;
using PortId = uint8_t;

// Port numbering on meshes and tori. x grows to the east, y grows to the north; router id = y*k_x +
// x.
enum MeshPort : PortId { kLocal = 0, kEast = 1, kWest = 2, kNorth = 3, kSouth = 4 };
inline constexpr int kMeshPorts = 5;

struct Channel {
  RouterId src = 0;
  PortId src_port = 0;
  RouterId dst = 0;
  PortId dst_port = 0;
  double length_mm = 1.0;
};

struct ChannelEdge {
  uint32_t channel = 0;  // index into Topology::channels()
};
using TopologyGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                            boost::no_property, ChannelEdge>;

class Topology {
 public:
  enum class Kind { kMesh, kTorus, kGraph };

  static Topology mesh(uint32_t k_x, uint32_t k_y, double link_length_mm = 1.0);
  static Topology torus(uint32_t k_x, uint32_t k_y, double link_length_mm = 1.0);
  // Undirected edge list "a b [length_mm]" per line, '#' comments; every edge becomes two channels.
  // Errors (unreadable file, bad line, disconnected graph) are UserErrors naming file and line.
  static Topology from_graph_file(const std::string& path);
  // Builds the topology a config names (kind "" = mesh, k_x 0 = 8, k_y 0 = k_x, link length 0 = 1
  // mm); bad values are UserErrors on the noc.topology.* field.
  static Topology from_config(const config::TopologyConfig& cfg);

  Kind kind() const { return kind_; }
  uint32_t num_routers() const { return num_routers_; }
  // Terminals (network interfaces): terminal t attaches to router terminal_router(t) at port
  // terminal_port(t). Today every router has one terminal, t = router id, at port 0; concentrated
  // topologies attach several. The network and the routing algorithms use only these.
  uint32_t num_terminals() const { return static_cast<uint32_t>(terminal_router_.size()); }
  RouterId terminal_router(uint32_t t) const { return terminal_router_[t]; }
  PortId terminal_port(uint32_t t) const { return terminal_port_[t]; }
  // The terminal attached at port p of router r, or -1 where that port is a network link.
  int32_t terminal_at(RouterId r, PortId p) const { return terminal_at_[port_offset_[r] + p]; }
  uint32_t k_x() const { return k_x_; }  // 0 for Kind::kGraph
  uint32_t k_y() const { return k_y_; }
  uint32_t x(RouterId r) const { return r % k_x_; }
  uint32_t y(RouterId r) const { return r / k_x_; }
  RouterId at(uint32_t x, uint32_t y) const { return y * k_x_ + x; }

  // Ports per router, port 0 (the terminal) included. Same for every router on meshes and tori.
  uint32_t num_ports(RouterId r) const { return port_offset_[r + 1] - port_offset_[r]; }
  uint32_t max_ports() const { return max_ports_; }
  // Index of the channel leaving router r through port p, or -1 where the port is unconnected (the
  // edge of a mesh) and for port 0.
  int32_t out_channel(RouterId r, PortId p) const { return out_channel_[port_offset_[r] + p]; }
  // Flat index of (router, port) for per-port arrays; ports of router r are contiguous.
  uint32_t port_index(RouterId r, PortId p) const { return port_offset_[r] + p; }
  uint32_t total_ports() const { return port_offset_.back(); }

  const std::vector<Channel>& channels() const { return channels_; }
  const TopologyGraph& graph() const { return graph_; }

  // Minimal hop count between routers (Manhattan on meshes, wrapped on tori, BFS on graphs).
  uint32_t distance(RouterId a, RouterId b) const;

  // Router at the far end of port p of router r; only valid where out_channel(r, p) >= 0.
  RouterId neighbor(RouterId r, PortId p) const { return channels_[out_channel(r, p)].dst; }
  // "east"/"west"/"north"/"south"/"local" on meshes and tori, "port N" on graphs (for messages).
  std::string port_name(PortId p) const;

 private:
  void add_channel(RouterId src, PortId src_port, RouterId dst, PortId dst_port, double len);
  void finish(const std::vector<uint32_t>& ports_per_router);

  Kind kind_ = Kind::kMesh;
  uint32_t num_routers_ = 0;
  uint32_t k_x_ = 0, k_y_ = 0;
  uint32_t max_ports_ = 0;
  std::vector<uint32_t> port_offset_;  // size num_routers + 1
  std::vector<int32_t> out_channel_;   // size total ports
  std::vector<Channel> channels_;
  std::vector<RouterId> terminal_router_;
  std::vector<PortId> terminal_port_;
  std::vector<int32_t> terminal_at_;                 // per flat port
  std::vector<std::vector<uint32_t>> hop_distance_;  // only for Kind::kGraph
  TopologyGraph graph_;
};

}  // namespace nocsim::noc
