#pragma once
// The model as the accelerator runs it: one stage per weight layer (dense, pd_dense, conv2d,
// pd_conv2d), with the weightless layers that follow it (relu, pooling) fused into the tiles that
// produce its outputs. Those are channel-local, so a tile applies them to its own output channels
// and sends the smaller result. Weightless layers ahead of the first weight layer run at the memory
// controller that sends the input.
//
// Graphs (residual networks): a stage reads its weight layer's input from the stage that computed
// it (its main source), and a residual add is fused like the other weightless layers, into the
// stage that computes one of its operands (the latest one read by the add alone); the add's
// other operands are whole outputs of earlier stages (side sources). The stage's tiles wait for
// every source's outputs and each adds its own output channels: the add costs one addition per
// element and operand beyond the first, on the tile that holds the element.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "configs/schema/model_file.pb.h"
#include "models/model_file.h"

namespace nocsim::pe {

struct Stage {
  int layer = 0;           // index of the weight layer in the model
  std::vector<int> fused;  // weightless layers after it, run on the producing tiles
  std::string name, kind;
  int block_rows = 0;
  int channels_per_block_row = 1;  // p (1 for dense layers)
  int out_channels = 0;
  double density = 1.0;  // pruned layers: the fraction of weights kept
  int64_t weights = 0, weights_per_block_row = 0;
  int64_t macs = 0;      // per inference with dense inputs
  int64_t in_elems = 0;  // input values the stage's tiles each need (all sources)
  // Stages whose outputs the tiles wait for: the main input's first (-1 = the input image), then
  // the side operands of fused adds. A chain: {s - 1}.
  std::vector<int> sources;
  std::vector<int> consumers;         // stages that read its outputs, ascending (empty: the last)
  int64_t adds_per_channel = 0;       // additions of the fused adds per output channel
  int64_t out_elems_per_channel = 0;  // after the fused layers
  int64_t out_elems = 0;

  // Output values (after the fused layers) of block-rows [b0, b1): a contiguous feature range.
  int64_t out_begin(int b0) const {
    return std::min<int64_t>(static_cast<int64_t>(b0) * channels_per_block_row, out_channels) *
           out_elems_per_channel;
  }
  int64_t out_end(int b1) const { return out_begin(b1); }
};

// Bits of the block offsets of `weights` stored values of a PD stage: one offset per block (p
// values, one per block row), ceil(log2 p) bits each. 0 for dense stages (p = 1).
inline uint64_t pd_offset_bits(const Stage& st, int64_t weights) {
  const int p = st.channels_per_block_row;
  if (p <= 1) return 0;
  return static_cast<uint64_t>(weights / p) * std::bit_width(static_cast<unsigned>(p - 1));
}

struct LayerPlan {
  std::vector<int> prefix;  // weightless layers before the first stage
  int64_t input_elems = 0;  // after the prefix
  std::vector<Stage> stages;
  std::vector<int> stage_of;  // per layer: the stage whose tiles compute it (-1: the prefix)
};

// Throws UserError on `field` when the model has no weight layer or a layer kind the accelerator
// cannot place.
LayerPlan plan_layers(const std::vector<models::LayerInfo>& layers,
                      const std::string& field = "model");

}  // namespace nocsim::pe
