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
#include <string>

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
  uint64_t macs = 0;    // multiply-accumulates performed
  uint64_t adds = 0;    // additions of fused residual adds (Stage::adds_per_channel per channel)
  uint64_t cycles = 0;  // compute time, >= 1
  uint64_t weight_read_bits = 0, activation_read_bits = 0;  // buffer reads
};

class Tile {
 public:
  virtual ~Tile() = default;
  // Refuses a stage this kind cannot run (UserError on accelerator.tile.kind naming the layer).
  virtual void check(const Stage& /*stage*/) const {}
  // Refuses decoded weights this kind cannot store (e.g. more distinct values than a codebook).
  virtual void check_weights(const Stage& /*stage*/, std::span<const float> /*decoded*/) const {}
  // The kind keeps weights as compressed sparse columns: only the non-zeros go through the codec
  // and the NoC, and Share::column_entries is filled before the run (so it needs the weights).
  virtual bool sparse_weights() const { return false; }
  // Bits sent with the share's weights beside the codec's stream (PD offsets when sent, sparse
  // indices and column pointers); they are kept in the weight buffer too.
  virtual uint64_t index_bits(const Stage& /*stage*/, const Share& /*share*/) const { return 0; }
  // Bits the share occupies in the tile's weight buffer (values, indices, pointers).
  virtual uint64_t stored_bits(const Stage& stage, const Share& share) const = 0;
  virtual TaskCost compute(const TileTask& task) const = 0;
};

// Computes the share's rows into task.output when the run is functional; returns the products
// performed (zero inputs skipped), 0 for traffic-only runs.
uint64_t compute_share_rows(const TileTask& task);
// The share's products with dense inputs, from the layer's shapes.
uint64_t share_dense_macs(const Stage& stage, const Share& share);

// The error a kind gives for a stage it cannot run.
[[noreturn]] void refuse_stage(const Stage& stage, const std::string& tile_kind,
                               const std::string& why);

using TileRegistry = Registry<Tile, const AcceleratorParams&>;
TileRegistry& tile_registry();

}  // namespace nocsim::pe
