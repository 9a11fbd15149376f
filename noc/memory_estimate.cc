#include "noc/memory_estimate.h"

#include <unistd.h>

#include <algorithm>

#include "configs/user_error.h"
#include "noc/topologies/topology_builder.h"

namespace nocsim::noc {

namespace {

// Bytes per item, rounded up from network.cc's layout (a 20-byte flit in its buffer slot plus a
// 24-byte event while it crosses a link, each vector allowed to be twice its size), per VC state
// and credits, per channel the topology's graph and the deadlock check's dependency graph.
constexpr uint64_t kBytesPerSlot = 96;
constexpr uint64_t kBytesPerVc = 128;
constexpr uint64_t kBytesPerPort = 64;
constexpr uint64_t kBytesPerChannel = 256;
constexpr uint64_t kBytesPerChannelVc = 128;  // deadlock check: one node, a few edges
constexpr uint64_t kBytesPerRouter = 512;
constexpr uint64_t kBytesPerPacket = 128;     // record, free-list and queue entries, growth
constexpr uint64_t kBaseBytes = 64ull << 20;  // histograms, route table, libraries

}  // namespace

MemoryEstimate estimate_run_memory(const config::NocConfig& noc, const RouterParams& router,
                                   uint64_t max_queued_packets) {
  MemoryEstimate e;
  // The builder checks the topology's fields and counts what it would build (grids from the
  // config alone: a concentrated mesh has a port per terminal).
  const config::TopologyConfig& t = noc.topology();
  const TopologySize size =
      topology_registry()
          .create(t.kind().empty() ? "mesh" : t.kind(), "noc.topology.kind", t)
          ->size();
  e.routers = size.routers;
  e.ports = size.ports;
  e.channels = size.channels;
  e.network_bytes = size.hop_table_entries * 4;  // uint32 hop distances
  // In double, then clamped: a mistyped radix must give a huge estimate, not a wrapped one.
  const double vcs = static_cast<double>(e.ports) * router.num_vcs;
  const double slots = vcs * router.vc_buf_size;
  auto bytes = [](double v) {
    return v >= 9e18 ? uint64_t{9'000'000'000'000'000'000u} : static_cast<uint64_t>(v);
  };
  e.buffer_slots = bytes(slots);
  e.network_bytes += bytes(
      slots * kBytesPerSlot + vcs * kBytesPerVc + static_cast<double>(e.ports) * kBytesPerPort +
      static_cast<double>(e.channels) * (kBytesPerChannel + router.num_vcs * kBytesPerChannelVc) +
      static_cast<double>(e.routers) * kBytesPerRouter);
  e.packet_bytes = bytes((static_cast<double>(max_queued_packets) + slots) * kBytesPerPacket);
  e.total_bytes = bytes(static_cast<double>(kBaseBytes) + static_cast<double>(e.network_bytes) +
                        static_cast<double>(e.packet_bytes));
  return e;
}

void check_run_memory(const config::NocConfig& noc, const SimParams& sim) {
  const MemoryEstimate e =
      estimate_run_memory(noc, RouterParams::from_config(noc.router()), sim.max_queued_packets);
  const uint64_t mb = (e.total_bytes + (1 << 20) - 1) >> 20;
  if (mb <= sim.max_memory_mb) return;
  throw UserError("sim.max_memory_mb",
                  "the run needs an estimated " + std::to_string(mb) + " MB (" +
                      std::to_string(e.routers) + " routers, " + std::to_string(e.buffer_slots) +
                      " buffer slots: " + std::to_string(e.network_bytes >> 20) +
                      " MB network; up to " + std::to_string(sim.max_queued_packets) +
                      " queued packets: " + std::to_string(e.packet_bytes >> 20) +
                      " MB), more than the limit of " + std::to_string(sim.max_memory_mb) +
                      " MB; use a smaller network, fewer VCs or a shallower buffer, lower "
                      "sim.max_queued_packets, or raise sim.max_memory_mb");
}

uint64_t default_max_memory_mb() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 4096;  // unknown: a modest machine
  return static_cast<uint64_t>(pages) / 2 * static_cast<uint64_t>(page) >> 20;
}

}  // namespace nocsim::noc
