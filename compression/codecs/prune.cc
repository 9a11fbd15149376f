// prune: magnitude pruning. The floor(sparsity * n) smallest-magnitude weights of the layer (ties
// by position) become zero; a chunk is a bitmask of its weights (1 = kept) followed by the kept
// weights as raw fp32. Weights that are already zero are never sent.
#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

class Prune : public Codec {
 public:
  explicit Prune(CodecParams& p)
      : sparsity_(p.real("sparsity", 0.5, 0.0, 1.0, "fraction of the layer's weights set to 0")) {}

  EncodedLayer encode(std::span<const float> w, std::span<const size_t> bounds,
                      const LayerContext&) const override {
    check_bounds(bounds, w.size());
    const std::vector<bool> keep = kept(w);
    EncodedLayer out;
    out.bounds.assign(bounds.begin(), bounds.end());
    for (size_t c = 0; c + 1 < bounds.size(); ++c) {
      BitWriter wr;
      for (size_t i = bounds[c]; i < bounds[c + 1]; ++i) wr.write(keep[i] ? 1 : 0, 1);
      for (size_t i = bounds[c]; i < bounds[c + 1]; ++i) {
        if (keep[i]) wr.write_float(w[i]);
      }
      out.chunks.push_back(wr.finish());
    }
    return out;
  }

  std::unique_ptr<LayerDecoder> open(const Bitstream& header) const override {
    if (header.bits != 0) throw DecodeError("prune has no layer header");
    return std::make_unique<Decoder>();
  }

  // Even at sparsity 0, -0.0 arrives as +0.0.
  bool lossless() const override { return false; }
  // Scan the mask a word at a time and steer kept words to their slots: shifts and muxes.
  DecoderCost decoder_cost() const override {
    return {2, std::min(16.0, 64.0 / nominal_bits_per_weight()), energy_pj::kShiftMask};
  }
  // Exact for a layer without zeros: one mask bit plus 32 bits per kept weight.
  double nominal_bits_per_weight() const override { return 1 + 32 * (1 - sparsity_); }
  std::string error_bound() const override {
    return "kept weights bit-exact; pruned weights (|w| <= the smallest kept |w|) become +0; "
           "NaN counts as the largest magnitude (kept)";
  }

 private:
  struct Decoder : LayerDecoder {
    void decode(const Bitstream& chunk, std::span<float> out) const override {
      BitReader mask(chunk);
      mask.require(out.size(), "prune mask");
      BitReader values(chunk);
      values.skip(out.size(), "prune mask");
      for (size_t at = 0; at < out.size(); at += 32) {
        const unsigned n = static_cast<unsigned>(std::min<size_t>(32, out.size() - at));
        uint64_t m = mask.read_unchecked(n);
        values.require(32 * uint64_t(std::popcount(m)), "pruned values");
        for (unsigned i = 0; i < n; ++i, m >>= 1) {
          out[at + i] = (m & 1) ? std::bit_cast<float>(uint32_t(values.read_unchecked(32))) : 0.0f;
        }
      }
      values.expect_end("prune chunk");
    }
  };

  std::vector<bool> kept(std::span<const float> w) const {
    const size_t n = w.size();
    const size_t drop = static_cast<size_t>(std::floor(sparsity_ * double(n)));
    std::vector<bool> keep(n, true);
    if (drop > 0) {
      auto mag = [&](uint32_t i) {
        return std::isnan(w[i]) ? std::numeric_limits<float>::infinity() : std::abs(w[i]);
      };
      std::vector<uint32_t> idx(n);
      std::iota(idx.begin(), idx.end(), 0u);
      std::nth_element(idx.begin(), idx.begin() + (drop - 1), idx.end(),
                       [&](uint32_t a, uint32_t b) {
                         const float ma = mag(a), mb = mag(b);
                         return ma < mb || (ma == mb && a < b);
                       });
      for (size_t i = 0; i < drop; ++i) keep[idx[i]] = false;
    }
    for (size_t i = 0; i < n; ++i) keep[i] = keep[i] && w[i] != 0.0f;
    return keep;
  }

  double sparsity_;
};

NOCSIM_REGISTER(codec_registry(), Prune, "prune", "magnitude pruning: bitmask + kept fp32 weights");

}  // namespace
}  // namespace nocsim::compression
