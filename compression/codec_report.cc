#include "compression/codec_report.h"

#include <cmath>
#include <limits>
#include <string>

#include "configs/user_error.h"

namespace nocsim::compression {

namespace {
// Squared-error sum and max over one layer.
void measure(const std::vector<float>& in, const std::vector<float>& out, double& sq, double& max) {
  for (size_t i = 0; i < in.size(); ++i) {
    const double a = in[i], b = out[i];
    double e;
    if (std::isfinite(a)) {
      e = std::isfinite(b) ? std::abs(a - b) : std::numeric_limits<double>::infinity();
    } else {
      const bool same = (std::isnan(a) && std::isnan(b)) || a == b;
      e = same ? 0.0 : std::numeric_limits<double>::infinity();
    }
    sq += e * e;
    max = std::max(max, e);
  }
}
}  // namespace

RoundTrip round_trip(const Codec& codec, const std::vector<std::vector<float>>& layers,
                     size_t chunk_weights) {
  std::vector<std::vector<size_t>> bounds;
  for (const auto& w : layers) bounds.push_back(even_bounds(w.size(), chunk_weights));
  return round_trip(codec, layers, bounds);
}

RoundTrip round_trip(const Codec& codec, const std::vector<std::vector<float>>& layers,
                     const std::vector<std::vector<size_t>>& bounds) {
  if (bounds.size() != layers.size()) {
    throw UserError("chunk bounds", std::to_string(bounds.size()) + " bound lists for " +
                                        std::to_string(layers.size()) + " layers");
  }
  RoundTrip out;
  double sq_total = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    const auto& w = layers[l];
    const EncodedLayer enc =
        bounds[l].empty() ? codec.encode(w, 0) : codec.encode(w, bounds[l], LayerContext{});
    out.decoded.push_back(codec.decode(enc));
    LayerReport lr;
    lr.weights = w.size();
    lr.header_bits = enc.header_bits();
    lr.chunk_bits = enc.chunk_bits();
    lr.bits_per_weight = enc.bits_per_weight();
    double sq = 0;
    measure(w, out.decoded.back(), sq, lr.max_abs_error);
    lr.rmse = w.empty() ? 0 : std::sqrt(sq / static_cast<double>(w.size()));
    sq_total += sq;
    CodecReport& r = out.report;
    r.weights += lr.weights;
    r.header_bits += lr.header_bits;
    r.chunk_bits += lr.chunk_bits;
    r.max_abs_error = std::max(r.max_abs_error, lr.max_abs_error);
    r.layers.push_back(lr);
  }
  CodecReport& r = out.report;
  if (r.weights > 0) {
    r.bits_per_weight = static_cast<double>(r.header_bits + r.chunk_bits) / r.weights;
    r.rmse = std::sqrt(sq_total / static_cast<double>(r.weights));
  }
  return out;
}

}  // namespace nocsim::compression
