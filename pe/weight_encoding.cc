#include "pe/weight_encoding.h"

#include <algorithm>
#include <cmath>

#include "configs/rng.h"
#include "configs/user_error.h"

namespace nocsim::pe {

EncodingStats size_nominal(const LayerPlan& plan, Placement& pl,
                           const compression::LayerCodecs& codecs) {
  // No weights: the codec's nominal size, plus the header it makes for a typical layer.
  std::vector<float> synthetic(4096);
  Rng rng(1);
  for (float& v : synthetic) v = static_cast<float>(0.05 * rng.normal());
  uint64_t total_bits = 0;
  int64_t total_weights = 0;
  for (size_t s = 0; s < pl.shares.size(); ++s) {
    const compression::CodecChain& codec = codecs.for_layer(plan.stages[s].name);
    const uint64_t header = codec.encode(synthetic).header.bits;
    const double bpw = codec.nominal_bits_per_weight();
    for (Share& sh : pl.shares[s]) {
      if (!sh.active()) continue;
      sh.weight_bits =
          header + static_cast<uint64_t>(std::ceil(bpw * static_cast<double>(sh.weights)));
      sh.coded_weights = sh.weights;
      total_bits += sh.weight_bits;
    }
  }
  for (const Stage& st : plan.stages) total_weights += st.weights;
  EncodingStats s;
  s.bits_per_weight = total_weights ? static_cast<double>(total_bits) / total_weights : 0;
  return s;
}

EncodingStats encode_weights(const LayerPlan& plan, Placement& pl,
                             const compression::LayerCodecs& codecs, models::Model& reference,
                             EncodedWeights& out, bool sparse) {
  const size_t S = plan.stages.size();
  uint64_t total_bits = 0;
  int64_t total_weights = 0;
  double sq_err = 0, max_err = 0;
  out.layers.resize(S);
  out.decoders.resize(S);
  out.positions.assign(sparse ? S : 0, {});
  out.value_bounds.assign(sparse ? S : 0, {});
  for (size_t s = 0; s < S; ++s) {
    const Stage& st = plan.stages[s];
    models::Layer& layer = reference.layer(st.layer);
    const std::span<const float> w = layer.weights();
    std::vector<std::pair<int, int>> runs;
    for (const Share& sh : pl.shares[s])
      for (const auto& r : sh.runs) runs.push_back(r);
    std::sort(runs.begin(), runs.end());
    const size_t wpr = static_cast<size_t>(st.weights_per_block_row);
    std::vector<size_t> bounds = {0};
    std::vector<float> values;  // sparse: the coded non-zeros
    if (sparse) {
      std::vector<uint32_t>& pos = out.positions[s];
      for (const auto& r : runs) {
        const size_t first = pos.size();
        for (size_t i = r.first * wpr; i < r.second * wpr; ++i)
          if (w[i] != 0.0f) pos.push_back(static_cast<uint32_t>(i));
        // A run without non-zeros still sends one (padding) entry, so that it is a chunk.
        if (pos.size() == first) pos.push_back(static_cast<uint32_t>(r.first * wpr));
        bounds.push_back(pos.size());
      }
      for (uint32_t i : pos) values.push_back(w[i]);
      out.value_bounds[s] = bounds;
    } else {
      for (const auto& r : runs) bounds.push_back(static_cast<size_t>(r.second) * wpr);
    }
    compression::LayerContext ctx;
    ctx.name = st.name;
    const compression::CodecChain& codec = codecs.for_layer(st.name);
    try {
      out.layers[s] = codec.encode(sparse ? std::span<const float>(values) : w, bounds, ctx);
    } catch (const UserError& e) {
      throw UserError("codec", "encoding layer '" + st.name + "': " + e.what());
    }
    out.decoders[s] = codec.open(out.layers[s].header);
    for (Share& sh : pl.shares[s]) {
      if (!sh.active()) continue;
      sh.weight_bits = out.layers[s].header.bits;
      for (const auto& r : sh.runs) {
        const int c =
            static_cast<int>(std::lower_bound(runs.begin(), runs.end(), r) - runs.begin());
        sh.chunks.push_back(c);
        sh.weight_bits += out.layers[s].chunks[c].bits;
        sh.coded_weights += static_cast<int64_t>(bounds[c + 1] - bounds[c]);
      }
      total_bits += sh.weight_bits;
    }
    std::vector<float> decoded = codec.decode(out.layers[s]);
    if (sparse) {
      std::vector<float> full(w.size(), 0.0f);
      for (size_t k = 0; k < decoded.size(); ++k) full[out.positions[s][k]] = decoded[k];
      decoded.swap(full);
    }
    for (size_t i = 0; i < decoded.size(); ++i) {
      const double e = static_cast<double>(decoded[i]) - w[i];
      sq_err += e * e;
      max_err = std::max(max_err, std::abs(e));
    }
    total_weights += st.weights;
    layer.set_weights(decoded);
  }
  EncodingStats st;
  st.bits_per_weight = total_weights ? static_cast<double>(total_bits) / total_weights : 0;
  st.rmse = total_weights ? std::sqrt(sq_err / total_weights) : 0.0;
  st.max_error = max_err;
  return st;
}

void add_index_bits(const LayerPlan& plan, Placement& pl, const Tile& tile, EncodingStats& stats) {
  int64_t total_weights = 0;
  for (size_t s = 0; s < pl.shares.size(); ++s) {
    total_weights += plan.stages[s].weights;
    for (Share& sh : pl.shares[s]) {
      if (!sh.active()) continue;
      const uint64_t bits = tile.index_bits(plan.stages[s], sh);
      sh.weight_bits += bits;
      stats.index_bits += bits;
    }
  }
  if (total_weights > 0)
    stats.bits_per_weight += static_cast<double>(stats.index_bits) / total_weights;
}

}  // namespace nocsim::pe
