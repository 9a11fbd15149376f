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
#include "pe/tile/tile.h"

namespace nocsim::pe {

struct EncodingStats {
  double bits_per_weight = 0;  // encoded, headers included
  double rmse = 0, max_error = 0;
  uint64_t index_bits = 0;  // included in bits_per_weight (add_index_bits)
};

// Sets every active share's weight_bits from the codec's nominal size (no weights). Each stage
// uses its layer's codec (`codecs.for_layer(name)`: codec.layer rules, else the default).
EncodingStats size_nominal(const LayerPlan& plan, Placement& pl,
                           const compression::LayerCodecs& codecs);

// The encoded layers of a model with weights.
struct EncodedWeights {
  std::vector<compression::EncodedLayer> layers;  // per stage
  std::vector<std::unique_ptr<compression::LayerDecoder>> decoders;
  // Sparse coding only, per stage: the flat weight index of every coded value, and where each
  // chunk's values start in it (chunk c covers [value_bounds[c], value_bounds[c + 1])).
  std::vector<std::vector<uint32_t>> positions;
  std::vector<std::vector<size_t>> value_bounds;
};

// Encodes `reference`'s weight layers, sets every share's chunks and weight_bits, and replaces
// the reference weights by their decoded values (the functional model). UserError on "codec".
// With `sparse` (Tile::sparse_weights) only the non-zero weights are coded, run by run in
// row-major order, and decode back to their positions (out.positions); the zeros stay exact.
EncodingStats encode_weights(const LayerPlan& plan, Placement& pl,
                             const compression::LayerCodecs& codecs, models::Model& reference,
                             EncodedWeights& out, bool sparse = false);

// Every active share's weight_bits grows by what the tile kind sends beside the codec's stream
// (Tile::index_bits: PD offsets when sent, sparse indices), and so does `stats`' bits per weight.
void add_index_bits(const LayerPlan& plan, Placement& pl, const Tile& tile, EncodingStats& stats);

}  // namespace nocsim::pe
