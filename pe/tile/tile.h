#pragma once
// What a PE tile kind computes and stores: one kind per file in pe/tile/, registered by name
// (accelerator.tile.kind):
//
//   NOCSIM_REGISTER(tile_registry(), PermDnnTile, "permdnn", "permuted-diagonal block-rows");
//
// The co-simulation owns the tile's schedule (weight fetches, decode, inputs, order of tasks);
// the kind says how many bits a share occupies in the weight buffer and what one task (a stage's
// share for one image) costs, and computes it when the run is functional.
#include <cstdint>
#include <span>

#include "configs/registry.h"
#include "models/row_kernel.h"
#include "pe/accelerator_params.h"
#include "pe/layer_plan.h"
#include "pe/placement.h"

namespace nocsim::pe {

struct TileTask {
  const Stage* stage = nullptr;
  const Share* share = nullptr;
  // The tile's decoded weights on the run's datapath; null = traffic-only.
  const models::RowKernel* layer = nullptr;
  std::span<const float> input;  // the stage's whole input (functional runs)
  std::span<float> output;       // the weight layer's output; the share's rows are written
};

struct TaskCost {
  uint64_t macs = 0;                                        // multiply-accumulates performed
  uint64_t cycles = 0;                                      // compute time, >= 1
  uint64_t weight_read_bits = 0, activation_read_bits = 0;  // buffer reads
};

class Tile {
 public:
  virtual ~Tile() = default;
  // Bits the share occupies in the tile's weight buffer once decoded.
  virtual uint64_t stored_bits(const Stage& stage, const Share& share) const = 0;
  virtual TaskCost compute(const TileTask& task) const = 0;
};

using TileRegistry = Registry<Tile, const AcceleratorParams&>;
TileRegistry& tile_registry();

}  // namespace nocsim::pe
