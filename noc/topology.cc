#include "noc/topology.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

#include "configs/user_error.h"

namespace nocsim::noc {

namespace {

// Meshes up to 1024 per side are cheap (flat arrays); the limit only stops typos like k_x=100000.
constexpr uint32_t kMaxRadix = 1024;
// Graph topologies keep an all-pairs hop table (N^2 entries), so they are kept to a size where that
// table stays below about 64 MB.
constexpr uint32_t kMaxGraphRouters = 4096;
// PortId is 8 bits and port 0 is the terminal.
constexpr uint32_t kMaxGraphDegree = 254;

void check_radix(uint32_t k, const std::string& field) {
  require(k >= 1 && k <= kMaxRadix, field,
          "must be between 1 and " + std::to_string(kMaxRadix) + ", got " + std::to_string(k));
}

void check_length(double len, const std::string& field) {
  require(std::isfinite(len) && len > 0, field, "link length must be a positive number of mm");
}

uint32_t wrap_distance(uint32_t a, uint32_t b, uint32_t k) {
  const uint32_t d = a > b ? a - b : b - a;
  return std::min(d, k - d);
}

}  // namespace

void Topology::add_channel(RouterId src, PortId src_port, RouterId dst, PortId dst_port,
                           double len) {
  channels_.push_back(Channel{src, src_port, dst, dst_port, len});
}

// Lays out the flat per-port arrays and the Boost graph from channels_ (already complete).
void Topology::finish(const std::vector<uint32_t>& ports_per_router) {
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
    out_channel_[port_index(ch.src, ch.src_port)] = static_cast<int32_t>(c);
    boost::add_edge(ch.src, ch.dst, ChannelEdge{c}, graph_);
  }
  terminal_router_.resize(num_routers_);
  terminal_port_.assign(num_routers_, 0);
  terminal_at_.assign(port_offset_.back(), -1);
  for (RouterId r = 0; r < num_routers_; ++r) {
    terminal_router_[r] = r;
    terminal_at_[port_offset_[r]] = static_cast<int32_t>(r);
  }
}

Topology Topology::mesh(uint32_t k_x, uint32_t k_y, double link_length_mm) {
  check_radix(k_x, "noc.topology.k_x");
  check_radix(k_y, "noc.topology.k_y");
  check_length(link_length_mm, "noc.topology.link_length_mm");
  Topology t;
  t.kind_ = Kind::kMesh;
  t.k_x_ = k_x;
  t.k_y_ = k_y;
  for (uint32_t y = 0; y < k_y; ++y) {
    for (uint32_t x = 0; x < k_x; ++x) {
      const RouterId r = y * k_x + x;
      if (x + 1 < k_x) t.add_channel(r, kEast, r + 1, kWest, link_length_mm);
      if (x > 0) t.add_channel(r, kWest, r - 1, kEast, link_length_mm);
      if (y + 1 < k_y) t.add_channel(r, kNorth, r + k_x, kSouth, link_length_mm);
      if (y > 0) t.add_channel(r, kSouth, r - k_x, kNorth, link_length_mm);
    }
  }
  t.finish(std::vector<uint32_t>(static_cast<size_t>(k_x) * k_y, kMeshPorts));
  return t;
}

Topology Topology::torus(uint32_t k_x, uint32_t k_y, double link_length_mm) {
  check_radix(k_x, "noc.topology.k_x");
  check_radix(k_y, "noc.topology.k_y");
  check_length(link_length_mm, "noc.topology.link_length_mm");
  Topology t;
  t.kind_ = Kind::kTorus;
  t.k_x_ = k_x;
  t.k_y_ = k_y;
  for (uint32_t y = 0; y < k_y; ++y) {
    for (uint32_t x = 0; x < k_x; ++x) {
      const RouterId r = y * k_x + x;
      // A ring of one router has no links: a wrap channel onto itself would only be a self-loop.
      if (k_x > 1) {
        t.add_channel(r, kEast, t.at((x + 1) % k_x, y), kWest, link_length_mm);
        t.add_channel(r, kWest, t.at((x + k_x - 1) % k_x, y), kEast, link_length_mm);
      }
      if (k_y > 1) {
        t.add_channel(r, kNorth, t.at(x, (y + 1) % k_y), kSouth, link_length_mm);
        t.add_channel(r, kSouth, t.at(x, (y + k_y - 1) % k_y), kNorth, link_length_mm);
      }
    }
  }
  t.finish(std::vector<uint32_t>(static_cast<size_t>(k_x) * k_y, kMeshPorts));
  return t;
}

Topology Topology::from_graph_file(const std::string& path) {
  const std::string field = "noc.topology.graph_file";
  std::ifstream in(path);
  if (!in) throw UserError(field, "cannot open graph file '" + path + "'");

  struct Edge {
    uint32_t a, b;
    double len;
    int line;
  };
  std::vector<Edge> edges;
  std::set<std::pair<uint32_t, uint32_t>> seen;
  uint32_t max_id = 0;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::vector<std::string> tok;
    for (std::string w; words >> w;) tok.push_back(w);
    if (tok.empty()) continue;
    if (tok.size() < 2 || tok.size() > 3) {
      throw UserError(field, where + "expected 'a b [length_mm]', got " +
                                 std::to_string(tok.size()) + " words");
    }
    uint32_t id[2];
    for (int i = 0; i < 2; ++i) {
      char* end = nullptr;
      const char* s = tok[i].c_str();
      const unsigned long long v = std::strtoull(s, &end, 10);
      if (*s == '-' || *s == '+' || end == s || *end != '\0' || v >= kMaxGraphRouters) {
        throw UserError(field, where + "router id '" + tok[i] + "' is not an integer in [0, " +
                                   std::to_string(kMaxGraphRouters) + ")");
      }
      id[i] = static_cast<uint32_t>(v);
    }
    double len = 1.0;
    if (tok.size() == 3) {
      char* end = nullptr;
      len = std::strtod(tok[2].c_str(), &end);
      if (end == tok[2].c_str() || *end != '\0' || !std::isfinite(len) || len <= 0) {
        throw UserError(field, where + "length '" + tok[2] + "' is not a positive number of mm");
      }
    }
    if (id[0] == id[1]) throw UserError(field, where + "self-loop on router " + tok[0]);
    if (!seen.insert({std::min(id[0], id[1]), std::max(id[0], id[1])}).second) {
      throw UserError(field, where + "duplicate edge " + tok[0] + " " + tok[1]);
    }
    edges.push_back(Edge{id[0], id[1], len, line_no});
    max_id = std::max({max_id, id[0], id[1]});
  }
  if (in.bad()) throw UserError(field, "error reading graph file '" + path + "'");
  if (edges.empty()) throw UserError(field, path + ": no edges");

  Topology t;
  t.kind_ = Kind::kGraph;
  const uint32_t n = max_id + 1;
  std::vector<uint32_t> ports(n, 1);  // port 0: the terminal
  for (const Edge& e : edges) {
    for (uint32_t r : {e.a, e.b}) {
      if (ports[r] > kMaxGraphDegree) {
        throw UserError(field, path + ":" + std::to_string(e.line) + ": router " +
                                   std::to_string(r) + " has more than " +
                                   std::to_string(kMaxGraphDegree) + " links");
      }
    }
    const auto pa = static_cast<PortId>(ports[e.a]++);
    const auto pb = static_cast<PortId>(ports[e.b]++);
    t.add_channel(e.a, pa, e.b, pb, e.len);
    t.add_channel(e.b, pb, e.a, pa, e.len);
  }
  t.finish(ports);

  // All-pairs hop counts by BFS from every router; also proves the graph connected.
  t.hop_distance_.assign(n, std::vector<uint32_t>(n, std::numeric_limits<uint32_t>::max()));
  std::vector<RouterId> queue;
  queue.reserve(n);
  for (RouterId s = 0; s < n; ++s) {
    auto& dist = t.hop_distance_[s];
    queue.clear();
    queue.push_back(s);
    dist[s] = 0;
    for (size_t head = 0; head < queue.size(); ++head) {
      const RouterId u = queue[head];
      for (PortId p = 1; p < t.num_ports(u); ++p) {
        const RouterId v = t.neighbor(u, p);
        if (dist[v] == std::numeric_limits<uint32_t>::max()) {
          dist[v] = dist[u] + 1;
          queue.push_back(v);
        }
      }
    }
    if (queue.size() != n) {
      RouterId lost = 0;
      while (dist[lost] != std::numeric_limits<uint32_t>::max()) ++lost;
      throw UserError(field, path + ": graph is not connected (router " + std::to_string(lost) +
                                 " cannot be reached from router " + std::to_string(s) +
                                 "; ids must be 0..N-1 without gaps)");
    }
  }
  return t;
}

Topology Topology::from_config(const config::TopologyConfig& cfg) {
  // Unset sizes take defaults; an explicit 0 is refused by the radix check.
  const uint32_t k_x = cfg.has_k_x() ? cfg.k_x() : 8;
  const uint32_t k_y = cfg.has_k_y() ? cfg.k_y() : k_x;
  const double len = cfg.has_link_length_mm() ? cfg.link_length_mm() : 1.0;
  if (cfg.kind().empty() || cfg.kind() == "mesh") return mesh(k_x, k_y, len);
  if (cfg.kind() == "torus") return torus(k_x, k_y, len);
  if (cfg.kind() == "graph") {
    require(!cfg.graph_file().empty(), "noc.topology.graph_file",
            "topology kind 'graph' needs a graph_file");
    return from_graph_file(cfg.graph_file());
  }
  throw UserError("noc.topology.kind",
                  "unknown topology '" + cfg.kind() + "'; valid names: graph, mesh, torus");
}

uint32_t Topology::distance(RouterId a, RouterId b) const {
  switch (kind_) {
    case Kind::kMesh: {
      const uint32_t dx = x(a) > x(b) ? x(a) - x(b) : x(b) - x(a);
      const uint32_t dy = y(a) > y(b) ? y(a) - y(b) : y(b) - y(a);
      return dx + dy;
    }
    case Kind::kTorus:
      return wrap_distance(x(a), x(b), k_x_) + wrap_distance(y(a), y(b), k_y_);
    case Kind::kGraph:
      return hop_distance_[a][b];
  }
  return 0;
}

std::string Topology::port_name(PortId p) const {
  if (kind_ != Kind::kGraph && p < kMeshPorts) {
    static const char* const kNames[kMeshPorts] = {"local", "east", "west", "north", "south"};
    return kNames[p];
  }
  return p == 0 ? "local" : "port " + std::to_string(p);
}

}  // namespace nocsim::noc
