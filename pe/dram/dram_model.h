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

struct DramStats {
  bool has_rows = false;  // the model has row buffers (else the counts do not apply)
  uint64_t row_hits = 0, row_misses = 0;
};

// What a read fetches: the same region (a tile's share of a layer, an input image, a tile's
// spill area) lies at the same DRAM addresses every time it is read.
struct DramRegion {
  enum Kind : uint8_t { kWeights, kInput, kSpill } kind = kWeights;
  uint32_t a = 0, b = 0;  // weights: (stage, tile); input: (image, 0); spill: (tile, 0)
  bool operator<(const DramRegion& o) const {
    return kind != o.kind ? kind < o.kind : a != o.a ? a < o.a : b < o.b;
  }
};

class DramModel {
 public:
  virtual ~DramModel() = default;
  // `bits` of `region` read by memory controller `mc` (index into mc_nodes), requested at cycle
  // `now`.
  virtual DramStream read(uint32_t mc, const DramRegion& region, uint64_t bits, uint64_t now) = 0;
  virtual DramStats stats() const { return {}; }
};

// The model sees the resolved parameters and its own config section (to read its fields there).
using DramRegistry = Registry<DramModel, const AcceleratorParams&, const config::DramConfig&>;
DramRegistry& dram_registry();

}  // namespace nocsim::pe
