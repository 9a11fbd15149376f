#pragma once
// The accelerator of one run, resolved once from the scenario: defaults filled in, every value
// checked (UserError on the exact "accelerator.*" field), memory controllers and PE tiles placed,
// and each tile bound to the memory controller that serves it. Components never read the config
// afterwards.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "configs/schema/scenario.pb.h"
#include "models/precision.h"
#include "noc/topology.h"

namespace nocsim::pe {

// The defaults of the named parts, in one place.
inline constexpr const char* kDefaultMapping = "round_robin";
inline constexpr const char* kDefaultTileKind = "permdnn";
inline constexpr const char* kDefaultDramModel = "pipe";
inline constexpr const char* kDefaultDataflow = "output_partitioning";
inline constexpr const char* kDefaultActivationEncoding = "dense";
inline constexpr uint32_t kDefaultActivationIndexBits = 4;

struct AcceleratorParams {
  std::vector<uint32_t> mc_nodes;   // router of each memory controller
  std::vector<uint32_t> pe_nodes;   // router of each PE tile
  std::vector<uint32_t> tile_mc;    // per tile: index into mc_nodes of its serving MC
  std::vector<uint32_t> tile_hops;  // per tile: hops to its serving MC
  std::string mapping = kDefaultMapping;
  std::string tile_kind = kDefaultTileKind;    // accelerator.tile.kind
  std::string dram_model = kDefaultDramModel;  // accelerator.dram.model
  std::string dataflow = kDefaultDataflow;     // accelerator.dataflow
  double dram_bits_per_cycle = 0;              // per MC, at the technology clock
  uint32_t dram_latency_cycles = 100;
  uint32_t macs_per_cycle = 16;
  uint64_t weight_buffer_bits = 64 * 1024 * 8;
  models::Datapath datapath;      // accelerator.datapath (pe/datapath.h)
  uint32_t activation_bits = 32;  // datapath.activations.bits: on the NoC and in the buffers
  uint32_t weight_bits = 32;      // datapath.weights.bits: a decoded weight in the buffer
  std::string activation_encoding = kDefaultActivationEncoding;  // activation_encoding.format
  uint32_t activation_index_bits = kDefaultActivationIndexBits;  // activation_encoding.index_bits
  bool pd_offsets_sent = false;                                  // accelerator.pd_offsets == "sent"
  uint32_t codebook_bits = 4;      // accelerator.tile.codebook_bits (eie)
  uint32_t sparse_index_bits = 4;  // accelerator.tile.index_bits (eie)
  // Per tile; unset = unbounded (no spill). Holds a task's whole input and its outputs.
  uint64_t activation_buffer_bits = std::numeric_limits<uint64_t>::max();
  uint32_t max_packet_flits = 16;
  uint32_t flit_width_bits = 128;
  uint32_t images = 1;
  uint32_t accuracy_images = 0;  // 0 = the whole test set
  bool multicast = true;         // accelerator.multicast
  double clock_ghz = 1.0;
  uint64_t max_cycles = 0;  // 0 = no limit

  // `sc.tech` must already be resolved (tools::resolve_tech). Throws UserError on the field.
  static AcceleratorParams from_scenario(const config::Scenario& sc, const noc::Topology& topo);

  // Payload bits one packet carries (max_packet_flits - 1 body flits).
  uint64_t packet_payload_bits() const {
    return static_cast<uint64_t>(max_packet_flits - 1) * flit_width_bits;
  }
};

}  // namespace nocsim::pe
