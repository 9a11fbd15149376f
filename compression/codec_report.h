#pragma once
// Cost and benefit of a codec on real weights: round-trips a model's layers and measures size and
// error. What `nocsim eval --codec` and `nocsim codecs --try` print.
#include <cstdint>
#include <string>
#include <vector>

#include "compression/codec.h"

namespace nocsim::compression {

struct LayerReport {
  size_t weights = 0;
  uint64_t header_bits = 0, chunk_bits = 0;
  double bits_per_weight = 0;  // headers included
  double rmse = 0, max_abs_error = 0;
};

struct CodecReport {
  size_t weights = 0;
  uint64_t header_bits = 0, chunk_bits = 0;
  double bits_per_weight = 0;  // (header + all chunks) / weights
  // Over finite input weights; a non-finite input decoded to the same class (NaN, +-Inf) is not
  // counted, any other non-finite result makes the error infinite.
  double rmse = 0, max_abs_error = 0;
  std::vector<LayerReport> layers;
};

struct RoundTrip {
  std::vector<std::vector<float>> decoded;  // one vector per layer, same sizes as the input
  CodecReport report;
};

// Encodes each layer with chunks of `chunk_weights` (0 = one chunk per layer), decodes, measures.
RoundTrip round_trip(const Codec& codec, const std::vector<std::vector<float>>& layers,
                     size_t chunk_weights = 0);
// Same with the caller's chunk bounds per layer (e.g. PE shares at block-row boundaries);
// bounds[i] = {0, ..., layers[i].size()}, or empty for one chunk.
RoundTrip round_trip(const Codec& codec, const std::vector<std::vector<float>>& layers,
                     const std::vector<std::vector<size_t>>& bounds);

}  // namespace nocsim::compression
