#pragma once
// How a layer's block-rows are spread over the PE tiles: one strategy per file in pe/mapping/,
// registered by name (accelerator.mapping):
//
//   NOCSIM_REGISTER(mapping_registry(), RoundRobin, "round_robin", "block-rows dealt in turn");
//
// A strategy sees the layer's size and each tile's distance to the memory controller that serves
// it, and returns the owning tile of every block-row. Every block-row must have exactly one owner.
#include <cstdint>
#include <vector>

#include "configs/registry.h"

namespace nocsim::pe {

struct MappingInput {
  int layer = 0;       // position of the layer among the weight layers
  int block_rows = 0;  // to distribute
  int64_t weights_per_block_row = 0;
  int64_t block_rows_before = 0;    // block-rows of all earlier weight layers (for rotation)
  std::vector<uint32_t> tile_hops;  // per tile: hops to its memory controller
};

class Mapping {
 public:
  virtual ~Mapping() = default;
  // Owner tile (index into tile_hops) of each block-row, size block_rows.
  virtual std::vector<int> assign(const MappingInput& in) const = 0;
};

using MappingRegistry = Registry<Mapping>;
MappingRegistry& mapping_registry();

}  // namespace nocsim::pe
