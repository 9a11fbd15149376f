// Any connected graph, read from an edge list: "a b [length_mm]" per line, '#' comments, router ids
// 0..N-1 without gaps. Every edge becomes two channels; router r's links take ports 1, 2, ... in
// file order and its one terminal port 0. Errors name the file and line.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "configs/user_error.h"
#include "noc/topologies/topology_builder.h"

namespace nocsim::noc {

namespace {

// Graph topologies keep an all-pairs hop table (N^2 entries), so they are kept to a size where that
// table stays below about 64 MB.
constexpr uint32_t kMaxGraphRouters = 4096;
// PortId is 8 bits and port 0 is the terminal.
constexpr uint32_t kMaxGraphDegree = 254;
const char* const kField = "noc.topology.graph_file";

struct Edge {
  uint32_t a, b;
  double len;
  int line;
};

std::vector<Edge> read_edges(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError(kField, "cannot open graph file '" + path + "'");
  std::vector<Edge> edges;
  std::set<std::pair<uint32_t, uint32_t>> seen;
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
      throw UserError(kField, where + "expected 'a b [length_mm]', got " +
                                  std::to_string(tok.size()) + " words");
    }
    uint32_t id[2];
    for (int i = 0; i < 2; ++i) {
      char* end = nullptr;
      const char* s = tok[i].c_str();
      const unsigned long long v = std::strtoull(s, &end, 10);
      if (*s == '-' || *s == '+' || end == s || *end != '\0' || v >= kMaxGraphRouters) {
        throw UserError(kField, where + "router id '" + tok[i] + "' is not an integer in [0, " +
                                    std::to_string(kMaxGraphRouters) + ")");
      }
      id[i] = static_cast<uint32_t>(v);
    }
    double len = 1.0;
    if (tok.size() == 3) {
      char* end = nullptr;
      len = std::strtod(tok[2].c_str(), &end);
      if (end == tok[2].c_str() || *end != '\0' || !std::isfinite(len) || len <= 0 ||
          len > kMaxLinkLengthMm) {
        throw UserError(kField, where + "length '" + tok[2] +
                                    "' is not a positive number of mm, at most " +
                                    std::to_string(static_cast<int>(kMaxLinkLengthMm)));
      }
    }
    if (id[0] == id[1]) throw UserError(kField, where + "self-loop on router " + tok[0]);
    if (!seen.insert({std::min(id[0], id[1]), std::max(id[0], id[1])}).second) {
      throw UserError(kField, where + "duplicate edge " + tok[0] + " " + tok[1]);
    }
    edges.push_back(Edge{id[0], id[1], len, line_no});
  }
  if (in.bad()) throw UserError(kField, "error reading graph file '" + path + "'");
  if (edges.empty()) throw UserError(kField, path + ": no edges");
  return edges;
}

// Edges are symmetric, so one search from router 0 proves the graph connected.
void require_connected(const std::string& path, uint32_t n, const std::vector<Edge>& edges) {
  std::vector<std::vector<uint32_t>> adj(n);
  for (const Edge& e : edges) {
    adj[e.a].push_back(e.b);
    adj[e.b].push_back(e.a);
  }
  std::vector<bool> seen(n, false);
  std::vector<uint32_t> stack{0};
  seen[0] = true;
  while (!stack.empty()) {
    const uint32_t u = stack.back();
    stack.pop_back();
    for (uint32_t v : adj[u]) {
      if (!seen[v]) {
        seen[v] = true;
        stack.push_back(v);
      }
    }
  }
  const auto lost = std::find(seen.begin(), seen.end(), false);
  if (lost != seen.end()) {
    throw UserError(
        kField, path + ": graph is not connected (router " + std::to_string(lost - seen.begin()) +
                    " cannot be reached from router 0; ids must be 0..N-1 without gaps)");
  }
}

}  // namespace

class GraphBuilder : public TopologyBuilder {
 public:
  explicit GraphBuilder(const config::TopologyConfig& cfg) : path_(cfg.graph_file()) {
    require(!path_.empty(), kField, "topology kind 'graph' needs a graph_file");
  }

  Topology build() const override {
    const std::vector<Edge> edges = read_edges(path_);
    uint32_t n = 0;
    for (const Edge& e : edges) n = std::max({n, e.a + 1, e.b + 1});
    Topology t;
    std::vector<uint32_t> ports(n, 1);  // port 0: the terminal
    for (const Edge& e : edges) {
      for (uint32_t r : {e.a, e.b}) {
        if (ports[r] > kMaxGraphDegree) {
          throw UserError(kField, path_ + ":" + std::to_string(e.line) + ": router " +
                                      std::to_string(r) + " has more than " +
                                      std::to_string(kMaxGraphDegree) + " links");
        }
      }
      const auto pa = static_cast<PortId>(ports[e.a]++);
      const auto pb = static_cast<PortId>(ports[e.b]++);
      t.add_channel(e.a, pa, e.b, pb, e.len);
      t.add_channel(e.b, pb, e.a, pa, e.len);
    }
    require_connected(path_, n, edges);
    std::vector<Topology::Terminal> terminals(n);
    for (RouterId r = 0; r < n; ++r) terminals[r] = {r, 0};
    t.finish(ports, terminals, std::nullopt);
    return t;
  }

 private:
  std::string path_;
};

NOCSIM_REGISTER(topology_registry(), GraphBuilder, "graph",
                "any connected graph from the edge list in noc.topology.graph_file");

}  // namespace nocsim::noc
