#pragma once
// The weights as they sit in DRAM: each stage encoded once by the codec, with a chunk boundary
// at every run of block-rows a tile owns (so each tile's share decodes on its own), and the size
// of every share on the NoC (codec header + its chunks). Traffic-only runs size shares from the
// codec's nominal bits per weight.
#include <cstdint>
#include <memory>
#include <vector>

#include "compression/codec_chain.h"
#include "compression/layer_codecs.h"
#include "models/model.h"
#include "pe/layer_plan.h"
#include "pe/placement.h"

namespace nocsim::pe {

struct EncodingStats {
  double bits_per_weight = 0;  // encoded, headers included
  double rmse = 0, max_error = 0;
  uint64_t offset_bits = 0;  // PD offsets included in bits_per_weight (add_pd_offsets)
};

// Sets every active share's weight_bits from the codec's nominal size (no weights). Each stage
// uses its layer's codec (`codecs.for_layer(name)`: codec.layer rules, else the default).
EncodingStats size_nominal(const LayerPlan& plan, Placement& pl,
                           const compression::LayerCodecs& codecs);

// The encoded layers of a model with weights.
struct EncodedWeights {
  std::vector<compression::EncodedLayer> layers;  // per stage
  std::vector<std::unique_ptr<compression::LayerDecoder>> decoders;
};

// Encodes `reference`'s weight layers, sets every share's chunks and weight_bits, and replaces
// the reference weights by their decoded values (the functional model). UserError on "codec".
EncodingStats encode_weights(const LayerPlan& plan, Placement& pl,
                             const compression::LayerCodecs& codecs, models::Model& reference,
                             EncodedWeights& out);

// accelerator.pd_offsets = "sent": every active PD share's weight_bits grows by its blocks'
// offsets (pd_offset_bits), and so does `stats`' bits per weight.
void add_pd_offsets(const LayerPlan& plan, Placement& pl, EncodingStats& stats);

}  // namespace nocsim::pe
