#include "compression/codec.h"

#include <cmath>
#include <string>

#include "compression/codec_registry.h"
#include "compression/decode_error.h"
#include "configs/rng.h"
#include "configs/user_error.h"

namespace nocsim::compression {

CodecRegistry& codec_registry() {
  static CodecRegistry registry("codec");
  return registry;
}

void check_bounds(std::span<const size_t> bounds, size_t n) {
  if (bounds.empty() || bounds.front() != 0 || bounds.back() != n) {
    throw UserError("chunk bounds",
                    "must start at 0 and end at the layer size " + std::to_string(n));
  }
  for (size_t i = 1; i < bounds.size(); ++i) {
    if (bounds[i] <= bounds[i - 1]) {
      throw UserError("chunk bounds", "must be strictly increasing (bounds[" + std::to_string(i) +
                                          "] = " + std::to_string(bounds[i]) + ")");
    }
  }
}

EncodedLayer Codec::encode(std::span<const float> weights, size_t chunk_weights) const {
  const auto bounds = even_bounds(weights.size(), chunk_weights);
  return encode(weights, bounds, LayerContext{});
}

std::vector<float> Codec::decode(const EncodedLayer& layer) const {
  check_bounds(layer.bounds, layer.num_weights());
  if (layer.chunks.size() + 1 != layer.bounds.size()) {
    throw DecodeError("layer has " + std::to_string(layer.chunks.size()) + " chunks but " +
                      std::to_string(layer.bounds.size() - 1) + " ranges");
  }
  std::vector<float> out(layer.num_weights());
  auto decoder = open(layer.header);
  for (size_t i = 0; i < layer.chunks.size(); ++i) {
    decoder->decode(layer.chunks[i], std::span<float>(out).subspan(
                                         layer.bounds[i], layer.bounds[i + 1] - layer.bounds[i]));
  }
  return out;
}

double synthetic_bits_per_weight(const Codec& codec) {
  // Shaped like a trained FC layer: zero-mean, small spread; cut into PE-share-sized chunks.
  constexpr size_t kWeights = 16384, kChunk = 4096;
  Rng rng(0x5eed);
  std::vector<float> w(kWeights);
  for (auto& x : w) x = static_cast<float>(0.05 * rng.normal());
  return static_cast<double>(codec.encode(w, kChunk).chunk_bits()) / kWeights;
}

}  // namespace nocsim::compression
