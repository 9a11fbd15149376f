#pragma once
// What a NoC run needs in memory, estimated from its configuration before anything is built, so
// that a run too big for the machine stops at once with a clear error (sim.max_memory_mb) instead
// of growing for minutes and ending in std::bad_alloc.
//
// The estimate is a sum over what a run allocates in proportion to its size: per input VC its flit
// buffer and the events of the flits in flight (vc_buf_size slots each), per VC its allocation and
// credit state, per router and channel the topology and the deadlock check's dependency graph, per
// packet that may be outstanding (sim.max_queued_packets plus every buffer slot) its record, and
// a fixed base (histograms, tables, the process). The per-item byte counts are upper bounds of the
// data layout in network.cc, checked against the measured peak RSS in
// tests/noc/memory_estimate_test.cc.
#include <cstdint>
#include <string>

#include "configs/schema/noc.pb.h"
#include "noc/router_params.h"
#include "noc/sim_params.h"

namespace nocsim::noc {

struct MemoryEstimate {
  uint64_t routers = 0, ports = 0, channels = 0;
  uint64_t buffer_slots = 0;  // flits all input VCs can hold
  uint64_t network_bytes = 0;
  uint64_t packet_bytes = 0;  // the records of every packet that may be outstanding
  uint64_t total_bytes = 0;
};

// Sizes from the topology builder (TopologyBuilder::size: grids count from the config alone, a
// graph topology is read); its field checks come first. `max_queued_packets` is the run's
// source-queue bound.
MemoryEstimate estimate_run_memory(const config::NocConfig& noc, const RouterParams& router,
                                   uint64_t max_queued_packets);

// Throws UserError on sim.max_memory_mb when the estimate exceeds `max_memory_mb`, with the
// estimate, its parts and what to change.
void check_run_memory(const config::NocConfig& noc, const SimParams& sim);

// The default of sim.max_memory_mb: half of the machine's physical memory.
uint64_t default_max_memory_mb();

}  // namespace nocsim::noc
