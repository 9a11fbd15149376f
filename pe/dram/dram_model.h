#pragma once
// How a memory controller's DRAM delivers bits: one model per file in pe/dram/, registered by
// name (accelerator.dram.model):
//
//   NOCSIM_REGISTER(dram_registry(), Pipe, "pipe", "fixed latency, then the channel bandwidth");
//
// A read returns when its bits start to flow and at what rate; the transfer then lets each packet
// leave once its bits are out. Reads of one controller are served in the order they are issued.
#include <cstdint>

#include "configs/registry.h"
#include "configs/schema/accelerator.pb.h"
#include "pe/accelerator_params.h"

namespace nocsim::pe {

struct DramStream {
  uint64_t start = 0;         // cycle the first bit is out
  double bits_per_cycle = 0;  // rate afterwards (> 0)
};

class DramModel {
 public:
  virtual ~DramModel() = default;
  // `bits` read by memory controller `mc` (index into mc_nodes), requested at cycle `now`.
  virtual DramStream read(uint32_t mc, uint64_t bits, uint64_t now) = 0;
};

// The model sees the resolved parameters and its own config section (to read its fields there).
using DramRegistry = Registry<DramModel, const AcceleratorParams&, const config::DramConfig&>;
DramRegistry& dram_registry();

}  // namespace nocsim::pe
