#include "pe/accelerator_params.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "configs/user_error.h"
#include "noc/router_params.h"
#include "noc/sim_params.h"
#include "pe/datapath.h"

namespace nocsim::pe {

namespace {

// Ranges of the accelerator's numeric fields; each is far beyond a real design and keeps the
// arithmetic on cycles and bits exact in 64 bits (see from_scenario).
constexpr double kMaxClockGhz = 100.0;
constexpr double kMinDramGbPerS = 0.001;
constexpr double kMaxDramGbPerS = 1e6;
constexpr uint32_t kMaxDramLatencyCycles = 1'000'000;
constexpr uint32_t kMaxMacsPerCycle = 1 << 20;

std::vector<uint32_t> default_mc_nodes(const noc::Topology& topo) {
  const noc::Grid* g = topo.grid();
  if (g == nullptr) return {0};
  const uint32_t kx = g->k_x, ky = g->k_y;
  std::vector<uint32_t> corners = {g->at(0, 0), g->at(kx - 1, 0), g->at(0, ky - 1),
                                   g->at(kx - 1, ky - 1)};
  std::vector<uint32_t> out;
  for (uint32_t c : corners)
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

void check_nodes(const std::vector<uint32_t>& nodes, uint32_t routers, const std::string& field) {
  std::set<uint32_t> seen;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    require(nodes[i] < routers, f,
            "router " + std::to_string(nodes[i]) + " does not exist (the network has " +
                std::to_string(routers) + " routers, 0.." + std::to_string(routers - 1) + ")");
    require(seen.insert(nodes[i]).second, f,
            "router " + std::to_string(nodes[i]) + " is listed twice");
  }
}

}  // namespace

AcceleratorParams AcceleratorParams::from_scenario(const config::Scenario& sc,
                                                   const noc::Topology& topo) {
  const config::AcceleratorConfig& a = sc.accelerator();
  AcceleratorParams p;
  const uint32_t routers = topo.num_routers();

  p.mc_nodes.assign(a.mc_nodes().begin(), a.mc_nodes().end());
  if (p.mc_nodes.empty()) p.mc_nodes = default_mc_nodes(topo);
  check_nodes(p.mc_nodes, routers, "accelerator.mc_nodes");
  const std::set<uint32_t> mcs(p.mc_nodes.begin(), p.mc_nodes.end());

  p.pe_nodes.assign(a.pe_nodes().begin(), a.pe_nodes().end());
  if (p.pe_nodes.empty()) {
    for (uint32_t r = 0; r < routers; ++r)
      if (!mcs.count(r)) p.pe_nodes.push_back(r);
  } else {
    check_nodes(p.pe_nodes, routers, "accelerator.pe_nodes");
    for (size_t i = 0; i < p.pe_nodes.size(); ++i)
      require(!mcs.count(p.pe_nodes[i]), "accelerator.pe_nodes[" + std::to_string(i) + "]",
              "router " + std::to_string(p.pe_nodes[i]) +
                  " already hosts a memory controller (accelerator.mc_nodes); a router hosts "
                  "one or the other");
  }
  require(!p.pe_nodes.empty(), "accelerator.pe_nodes",
          "no router is left for a PE tile: every router hosts a memory controller");

  // Nearest memory controller by hops; ties go to the lower MC index.
  for (uint32_t node : p.pe_nodes) {
    uint32_t best = 0, best_d = topo.distance(node, p.mc_nodes[0]);
    for (uint32_t m = 1; m < p.mc_nodes.size(); ++m) {
      const uint32_t d = topo.distance(node, p.mc_nodes[m]);
      if (d < best_d) best = m, best_d = d;
    }
    p.tile_mc.push_back(best);
    p.tile_hops.push_back(best_d);
  }

  if (!a.mapping().empty()) p.mapping = a.mapping();
  if (!a.tile().kind().empty()) p.tile_kind = a.tile().kind();
  if (a.tile().has_codebook_bits()) {
    require(a.tile().codebook_bits() >= 1 && a.tile().codebook_bits() <= 8,
            "accelerator.tile.codebook_bits",
            "must be between 1 and 8 bits, got " + std::to_string(a.tile().codebook_bits()));
    p.codebook_bits = a.tile().codebook_bits();
  }
  if (a.tile().has_index_bits()) {
    require(a.tile().index_bits() >= 1 && a.tile().index_bits() <= 16,
            "accelerator.tile.index_bits",
            "must be between 1 and 16 bits, got " + std::to_string(a.tile().index_bits()));
    p.sparse_index_bits = a.tile().index_bits();
  }
  if (!a.dram().model().empty()) p.dram_model = a.dram().model();
  if (!a.dataflow().empty()) p.dataflow = a.dataflow();

  p.clock_ghz = sc.tech().clock_ghz();
  require(p.clock_ghz > 0, "tech.clock_ghz",
          "must be > 0 (name a technology preset, e.g. tech_preset: \"45nm\")");
  require(std::isfinite(p.clock_ghz) && p.clock_ghz <= kMaxClockGhz, "tech.clock_ghz",
          "must be at most " + std::to_string(kMaxClockGhz) + " GHz, got " +
              std::to_string(p.clock_ghz));
  // The ranges keep every DRAM transfer time (bits / bits per cycle) far inside 64 bits: below
  // the floor, a huge stream's cycle count overflowed and came out small (a slower DRAM made
  // inference faster).
  const double bw = a.dram().has_bandwidth_gb_per_s() ? a.dram().bandwidth_gb_per_s() : 12.8;
  require(std::isfinite(bw) && bw >= kMinDramGbPerS && bw <= kMaxDramGbPerS,
          "accelerator.dram.bandwidth_gb_per_s",
          "must be between " + std::to_string(kMinDramGbPerS) + " and " +
              std::to_string(kMaxDramGbPerS) + " GB/s, got " + std::to_string(bw));
  p.dram_bits_per_cycle = bw * 8.0 / p.clock_ghz;
  p.dram_latency_cycles = a.dram().has_latency_cycles() ? a.dram().latency_cycles() : 100;
  require(p.dram_latency_cycles <= kMaxDramLatencyCycles, "accelerator.dram.latency_cycles",
          "must be at most " + std::to_string(kMaxDramLatencyCycles) + " cycles, got " +
              std::to_string(p.dram_latency_cycles));

  const config::PeConfig& pe = a.pe();
  if (pe.has_macs_per_cycle()) {
    require(pe.macs_per_cycle() > 0 && pe.macs_per_cycle() <= kMaxMacsPerCycle,
            "accelerator.pe.macs_per_cycle",
            "must be between 1 and " + std::to_string(kMaxMacsPerCycle) + " MACs per cycle, got " +
                std::to_string(pe.macs_per_cycle()));
    p.macs_per_cycle = pe.macs_per_cycle();
  }
  if (pe.has_weight_buffer_kib()) {
    require(pe.weight_buffer_kib() > 0, "accelerator.pe.weight_buffer_kib",
            "a PE needs a weight buffer of at least 1 KiB");
    p.weight_buffer_bits = static_cast<uint64_t>(pe.weight_buffer_kib()) * 1024 * 8;
  }
  if (pe.has_activation_buffer_kib()) {
    require(pe.activation_buffer_kib() > 0, "accelerator.pe.activation_buffer_kib",
            "an activation buffer needs at least 1 KiB (unset = unbounded)");
    p.activation_buffer_bits = static_cast<uint64_t>(pe.activation_buffer_kib()) * 1024 * 8;
  }
  p.datapath = resolve_datapath(a.datapath());
  p.activation_bits = static_cast<uint32_t>(p.datapath.activations.bits);
  p.weight_bits = static_cast<uint32_t>(p.datapath.weights.bits);
  const config::ActivationEncodingConfig& ae = a.activation_encoding();
  if (!ae.format().empty()) p.activation_encoding = ae.format();
  if (ae.has_index_bits()) {
    require(p.activation_encoding == "index", "accelerator.activation_encoding.index_bits",
            "applies to the \"index\" format only, not \"" + p.activation_encoding + "\"");
    require(ae.index_bits() >= 1 && ae.index_bits() <= 16,
            "accelerator.activation_encoding.index_bits",
            "must be between 1 and 16 bits, got " + std::to_string(ae.index_bits()));
    p.activation_index_bits = ae.index_bits();
  }
  require(a.pd_offsets().empty() || a.pd_offsets() == "on_chip" || a.pd_offsets() == "sent",
          "accelerator.pd_offsets",
          "must be \"on_chip\" or \"sent\", got \"" + a.pd_offsets() + "\"");
  p.pd_offsets_sent = a.pd_offsets() == "sent";
  if (a.has_max_packet_flits()) {
    require(a.max_packet_flits() >= 2 && a.max_packet_flits() <= 4096,
            "accelerator.max_packet_flits",
            "must be in [2, 4096] (one head flit plus at least one payload flit), got " +
                std::to_string(a.max_packet_flits()));
    p.max_packet_flits = a.max_packet_flits();
  }
  p.flit_width_bits = noc::RouterParams::from_config(sc.noc().router()).flit_width_bits;
  p.images = a.has_images() ? a.images() : 1;
  require(p.images >= 1 && p.images <= 10000, "accelerator.images",
          "must be between 1 and 10000 (the test set), got " + std::to_string(p.images));
  if (a.has_accuracy_images()) {
    require(a.accuracy_images() >= 1, "accelerator.accuracy_images",
            "at least one image (unset = the whole test set)");
    p.accuracy_images = a.accuracy_images();
  }
  // The traffic runs' default cycle cap would stop a VGG-16 inference (24 M cycles); here it only
  // applies when given, and the network's watchdog catches a run that stops moving.
  p.multicast = a.has_multicast() ? a.multicast() : true;
  p.max_cycles = sc.sim().has_max_cycles() ? sc.sim().max_cycles() : 0;
  require(!sc.sim().has_max_cycles() || (p.max_cycles >= 1 && p.max_cycles <= noc::kMaxSimCycles),
          "sim.max_cycles",
          "must be between 1 and " + std::to_string(noc::kMaxSimCycles) + " cycles, got " +
              std::to_string(p.max_cycles));
  require(!sc.sim().has_watchdog_cycles() ||
              (sc.sim().watchdog_cycles() >= 1 && sc.sim().watchdog_cycles() <= noc::kMaxSimCycles),
          "sim.watchdog_cycles",
          "must be between 1 and " + std::to_string(noc::kMaxSimCycles) + " cycles, got " +
              std::to_string(sc.sim().watchdog_cycles()));
  return p;
}

}  // namespace nocsim::pe
