// Reproduces every point of BookSim2's reference curves (../shared/reference/booksim/), and of the
// curves measured beyond them (configs/reference/booksim/extra_curves.csv), with the router
// configured as BookSim2 was: zero-load latency within 2%, mean packet latency within 5% below
// 90% of the curve's saturation throughput, accepted throughput within 5% everywhere (which is the
// saturation throughput on saturated rows).
//
// Rows on the knee of a curve (unsaturated, but latency above twice the zero-load latency, e.g.
// transpose at 0.10) are dominated by source queueing behind a few nearly full links: there the
// mean latency of one seed is a random variable with a spread of tens of percent (transpose at
// 0.10 gives 69 to 152 cycles over seeds 0-5, BookSim's single seed 125), so one seed cannot be
// compared within 5%. Those rows run several seeds and require BookSim's value to lie within the
// seeds' range widened by 5%, for packet and network latency.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "noc/simulation.h"
#include "noc/traffic/traffic_pattern.h"
#include "tests/booksim_curves.h"

namespace nocsim::noc {
namespace {

struct RefRow {
  uint32_t k = 0;
  std::string topology = "mesh";  // optional 14th column
  std::string traffic, routing;
  uint32_t vcs = 0, buf = 0, packet = 0;
  double rate = 0, plat = 0, nlat = 0, flat = 0, accepted = 0, hops = 0;
  bool saturated = false;
};

std::vector<RefRow> read_reference(const std::string& path) {
  std::ifstream in(path);
  std::vector<RefRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (line.back() == ',') f.push_back("");
    if (f.size() < 13) continue;
    auto num = [](const std::string& s) { return s.empty() ? 0.0 : std::stod(s); };
    RefRow r;
    r.k = static_cast<uint32_t>(std::stoul(f[0]));
    r.traffic = f[1];
    r.routing = f[2];
    r.vcs = static_cast<uint32_t>(std::stoul(f[3]));
    r.buf = static_cast<uint32_t>(std::stoul(f[4]));
    r.packet = static_cast<uint32_t>(std::stoul(f[5]));
    r.rate = num(f[6]);
    r.plat = num(f[7]);
    r.nlat = num(f[8]);
    r.flat = num(f[9]);
    r.accepted = num(f[10]);
    r.hops = num(f[11]);
    r.saturated = f[12] == "1";
    if (f.size() > 13 && !f[13].empty()) r.topology = f[13];
    rows.push_back(r);
  }
  return rows;
}

config::NocResult run_like_booksim(const RefRow& row, uint64_t seed = 0) {
  config::NocConfig noc;
  noc.mutable_topology()->set_kind(row.topology);
  noc.mutable_topology()->set_k_x(row.k);
  noc.mutable_router()->set_num_vcs(row.vcs);
  noc.mutable_router()->set_vc_buf_size(row.buf);
  noc.mutable_routing()->set_algorithm(row.routing == "dor" ? "xy" : row.routing);
  config::TrafficConfig traffic;
  traffic.set_pattern(row.traffic);
  traffic.set_injection_rate(row.rate);
  traffic.set_packet_size(row.packet);
  config::SimConfig sim;  // BookSim's defaults: 3 x 1000-cycle warm-up, 1000-cycle samples
  sim.set_seed(seed);
  return run_traffic(noc, traffic, sim, config::TechConfig());
}

double rel(double got, double want) {
  return std::fabs(got - want) / want;
}

// Every row of `rows` (curves of one or more configurations) against nocsim configured alike.
void expect_curves_match(const std::vector<RefRow>& rows) {
  ASSERT_FALSE(rows.empty());

  // A curve = one (topology, k, routing, traffic, vcs, buf, packet); its saturation throughput is
  // the best accepted throughput BookSim reached on it, its zero-load point the lowest rate.
  std::map<std::string, double> sat, lowest, zero_load;
  auto key = [](const RefRow& r) {
    return r.topology + std::to_string(r.k) + r.routing + r.traffic + std::to_string(r.vcs) + "/" +
           std::to_string(r.buf) + "/" + std::to_string(r.packet);
  };
  for (const auto& r : rows) {
    sat[key(r)] = std::max(sat[key(r)], r.accepted);
    if (!lowest.count(key(r)) || r.rate < lowest[key(r)]) {
      lowest[key(r)] = r.rate;
      zero_load[key(r)] = r.plat;
    }
  }

  std::printf("%-5s %-3s %-10s %-6s %5s | %9s %9s %6s | %8s %8s | %6s %6s | %s\n", "topo", "k",
              "traffic", "v/b/p", "rate", "lat", "booksim", "err%", "accept", "booksim", "hops",
              "bs", "sat(ours/bs)");
  int compared = 0;
  for (const auto& r : rows) {
    // Every pattern of the reference must exist: a missing one is a failure, not a skip.
    if (traffic_registry().find(r.traffic) == nullptr) {
      ADD_FAILURE() << "traffic pattern '" << r.traffic << "' of the reference is not registered";
      continue;
    }
    const config::NocResult got = run_like_booksim(r);
    const double lat = got.packet_latency().mean();
    const std::string cfg =
        std::to_string(r.vcs) + "/" + std::to_string(r.buf) + "/" + std::to_string(r.packet);
    std::printf(
        "%-5s %-3u %-10s %-6s %5.2f | %9.2f %9.2f %6.2f | %8.4f %8.4f | %6.3f %6.3f | %d/%d\n",
        r.topology.c_str(), r.k, r.traffic.c_str(), cfg.c_str(), r.rate, lat, r.plat,
        100 * (lat - r.plat) / r.plat, got.accepted_flits_per_node_cycle(), r.accepted,
        got.avg_hops(), r.hops, got.saturated() ? 1 : 0, r.saturated ? 1 : 0);
    const std::string what = r.topology + " " + std::to_string(r.k) + "x" + std::to_string(r.k) +
                             " " + r.routing + " " + r.traffic + " " + cfg +
                             " (VCs/buffer/packet) @" + std::to_string(r.rate);
    // At 1% load a 16-node run delivers only ~1000 packets, so both simulators' accepted rates
    // carry a few percent of sampling noise; 0.001 flits/node/cycle absorbs it.
    EXPECT_LT(std::fabs(got.accepted_flits_per_node_cycle() - r.accepted),
              0.05 * r.accepted + 0.001)
        << what;
    const bool knee = r.plat > 2 * zero_load[key(r)];
    if (!r.saturated && r.rate < 0.9 * sat[key(r)] && knee) {
      // The same 6 in every build: with 3 (as sanitized builds once ran) the range is narrower and
      // O1TURN's 4-VC transpose knee at 0.20 fell outside it, a verdict that hung on the build.
      constexpr int seeds = 6;
      double lo = lat, hi = lat, nlo = got.network_latency().mean(), nhi = nlo;
      for (int seed = 1; seed < seeds; ++seed) {
        const config::NocResult more = run_like_booksim(r, static_cast<uint64_t>(seed));
        lo = std::min(lo, more.packet_latency().mean());
        hi = std::max(hi, more.packet_latency().mean());
        nlo = std::min(nlo, more.network_latency().mean());
        nhi = std::max(nhi, more.network_latency().mean());
      }
      std::printf(
          "    knee: %d seeds, packet latency %.1f..%.1f (booksim %.1f), network latency "
          "%.1f..%.1f (booksim %.1f)\n",
          seeds, lo, hi, r.plat, nlo, nhi, r.nlat);
      EXPECT_GE(r.plat, 0.95 * lo) << what;
      EXPECT_LE(r.plat, 1.05 * hi) << what;
      EXPECT_GE(r.nlat, 0.95 * nlo) << what;
      EXPECT_LE(r.nlat, 1.05 * nhi) << what;
    } else if (!r.saturated && r.rate < 0.9 * sat[key(r)]) {
      EXPECT_FALSE(got.saturated()) << what;
      const double tol = r.rate == lowest[key(r)] ? 0.02 : 0.05;
      EXPECT_LT(rel(lat, r.plat), tol) << what << ": latency " << lat << " vs " << r.plat;
      EXPECT_LT(rel(got.network_latency().mean(), r.nlat), 0.05) << what;
      EXPECT_LT(rel(got.avg_hops(), r.hops), 0.02) << what;
    }
    if (r.saturated) {
      EXPECT_TRUE(got.saturated()) << what;
    }
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

TEST(BookSimValidation, MeshCurvesMatchReference) {
  expect_curves_match(read_reference(nocsim::testing::booksim_curves_csv()));
}

// Curves the shared reference does not have, measured with BookSim2 by tools/booksim_curves.sh:
// 4 VCs, 4-flit packets (with 8- and 4-flit buffers), bit-complement, tornado, a 16x16 mesh, the
// 8x8 torus with 2 and 4 VCs (dateline classes) under uniform and transpose traffic, O1TURN
// (BookSim2's xy_yx, nocsim's o1turn) on the 8x8 mesh with 2 and 4 VCs under uniform and transpose,
// and the 4x4 cmesh (4 terminals per router) under uniform and transpose traffic.
TEST(BookSimValidation, ExtraCurvesMatchBookSim) {
  expect_curves_match(
      read_reference(NOCSIM_SOURCE_DIR "/configs/reference/booksim/extra_curves.csv"));
}

}  // namespace
}  // namespace nocsim::noc
