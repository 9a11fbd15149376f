#pragma once
// The network's shape: routers, their ports, the directed channels between them and the terminals
// (network interfaces) attached to router ports. Built by a registered builder (noc/topologies/,
// found by `noc.topology.kind`) on a Boost.Graph graph (for shortest paths and cycle checks) and
// mirrored into flat per-port arrays for the simulator's hot loop. Code that needs coordinates asks
// for the grid capability (`grid()`), never for the kind of topology.
#include <cstdint>
#include <optional>
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

// Port numbering on grid topologies. x grows to the east, y grows to the north; router id = y*k_x +
// x. Port 0 holds a router's first terminal; a concentrated grid puts its other terminals on ports
// kMeshPorts, kMeshPorts + 1, ...
enum MeshPort : PortId { kLocal = 0, kEast = 1, kWest = 2, kNorth = 3, kSouth = 4 };
inline constexpr int kMeshPorts = 5;

// The capability of grid-shaped topologies (mesh, torus, concentrated mesh): routers at (x, y) with
// the ports above, each dimension optionally closed into a ring, and c_x * c_y terminals per router
// laid out as a c_x by c_y tile, so that the terminals form a finer (k_x c_x) by (k_y c_y) grid.
// Terminal ids are row-major on that terminal grid (without concentration: terminal = router).
struct Grid {
  uint32_t k_x = 1, k_y = 1;
  bool wrap_x = false, wrap_y = false;
  uint32_t c_x = 1, c_y = 1;

  uint32_t x(RouterId r) const { return r % k_x; }
  uint32_t y(RouterId r) const { return r / k_x; }
  RouterId at(uint32_t x, uint32_t y) const { return y * k_x + x; }
  bool wraps() const { return wrap_x || wrap_y; }
  // Minimal hops between routers: Manhattan, the shorter way round in a wrapped dimension.
  uint32_t distance(RouterId a, RouterId b) const;

  uint32_t concentration() const { return c_x * c_y; }
  uint32_t terminals_x() const { return k_x * c_x; }
  uint32_t terminals_y() const { return k_y * c_y; }
  uint32_t terminal_x(uint32_t t) const { return t % terminals_x(); }
  uint32_t terminal_y(uint32_t t) const { return t / terminals_x(); }
  uint32_t terminal_at(uint32_t x, uint32_t y) const { return y * terminals_x() + x; }
};

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
  // Builds the topology a config names through the topology registry (kind "" = mesh); bad values
  // are UserErrors on the noc.topology.* field, an unknown kind lists the valid ones.
  static Topology from_config(const config::TopologyConfig& cfg);
  // Shortcuts for from_config with kind mesh / torus / graph.
  static Topology mesh(uint32_t k_x, uint32_t k_y, double link_length_mm = 1.0);
  static Topology torus(uint32_t k_x, uint32_t k_y, double link_length_mm = 1.0);
  static Topology from_graph_file(const std::string& path);

  // Coordinates, wrap and concentration of a grid-shaped topology; nullptr for any other shape.
  const Grid* grid() const { return grid_ ? &*grid_ : nullptr; }
  uint32_t num_routers() const { return num_routers_; }
  // Terminals (network interfaces): terminal t attaches to router terminal_router(t) at port
  // terminal_port(t). The network and the routing algorithms use only these.
  uint32_t num_terminals() const { return static_cast<uint32_t>(terminal_router_.size()); }
  RouterId terminal_router(uint32_t t) const { return terminal_router_[t]; }
  PortId terminal_port(uint32_t t) const { return terminal_port_[t]; }
  // The terminal attached at port p of router r, or -1 where that port is a network link or
  // unconnected.
  int32_t terminal_at(RouterId r, PortId p) const { return terminal_at_[port_offset_[r] + p]; }

  // Ports per router, terminal ports included. Same for every router on grids.
  uint32_t num_ports(RouterId r) const { return port_offset_[r + 1] - port_offset_[r]; }
  uint32_t max_ports() const { return max_ports_; }
  // Index of the channel leaving router r through port p, or -1 where the port is unconnected (the
  // edge of a mesh) or holds a terminal.
  int32_t out_channel(RouterId r, PortId p) const { return out_channel_[port_offset_[r] + p]; }
  // Flat index of (router, port) for per-port arrays; ports of router r are contiguous.
  uint32_t port_index(RouterId r, PortId p) const { return port_offset_[r] + p; }
  uint32_t total_ports() const { return port_offset_.back(); }

  const std::vector<Channel>& channels() const { return channels_; }
  const TopologyGraph& graph() const { return graph_; }

  // Minimal hop count between routers (Grid::distance on grids, a BFS table otherwise).
  uint32_t distance(RouterId a, RouterId b) const;

  // Router at the far end of port p of router r; only valid where out_channel(r, p) >= 0.
  RouterId neighbor(RouterId r, PortId p) const { return channels_[out_channel(r, p)].dst; }
  // "local"/"east"/"west"/"north"/"south" on grids ("local N" for a concentrated grid's further
  // terminal ports), "local"/"port N" otherwise (for messages).
  std::string port_name(PortId p) const;

  // Construction, for the builders in noc/topologies/ only: add every channel, then finish() once.
  struct Terminal {
    RouterId router = 0;
    PortId port = 0;
  };
  void add_channel(RouterId src, PortId src_port, RouterId dst, PortId dst_port, double len);
  // Lays out the flat arrays and the graph. Terminal ports must be free of channels; a topology
  // without a grid must be connected (it gets an all-pairs BFS table, so keep it to a few thousand
  // routers). Inconsistencies are builder bugs (std::logic_error).
  void finish(const std::vector<uint32_t>& ports_per_router, const std::vector<Terminal>& terminals,
              std::optional<Grid> grid);

 private:
  std::optional<Grid> grid_;
  uint32_t num_routers_ = 0;
  uint32_t max_ports_ = 0;
  std::vector<uint32_t> port_offset_;  // size num_routers + 1
  std::vector<int32_t> out_channel_;   // size total ports
  std::vector<Channel> channels_;
  std::vector<RouterId> terminal_router_;
  std::vector<PortId> terminal_port_;
  std::vector<int32_t> terminal_at_;    // per flat port
  std::vector<uint32_t> hop_distance_;  // [a * num_routers + b], only without a grid
  TopologyGraph graph_;
};

}  // namespace nocsim::noc
