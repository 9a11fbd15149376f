// quant: uniform quantization to b-bit levels, one scale per tensor (in the layer header) or per
// block of the chunk (inside the chunk). Symmetric levels are q * scale, q in [-(2^(b-1)-1),
// 2^(b-1)-1], so zero is exact; asymmetric levels are lo + q * scale, q in [0, 2^b-1].
#include <algorithm>
#include <cmath>
#include <limits>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

// Scale and offset of one group of weights.
struct Group {
  float scale = 0, lo = 0;
};

class Quantize : public Codec {
 public:
  explicit Quantize(CodecParams& p)
      : bits_(static_cast<unsigned>(p.integer("bits", 8, 1, 16, "bits per weight"))),
        per_block_(p.choice("granularity", "tensor", {"tensor", "block"},
                            "one scale per layer (header) or per block (in the chunk)") == "block"),
        block_(static_cast<size_t>(
            p.integer("block", 64, 1, 1 << 20, "weights per block (granularity=block)"))),
        symmetric_(p.choice("mode", "symmetric", {"symmetric", "asymmetric"},
                            "levels symmetric around zero, or spanning [min, max]") ==
                   "symmetric") {
    if (symmetric_ && bits_ < 2) p.fail("bits", "symmetric quantization needs at least 2 bits");
    qmax_ = symmetric_ ? (1u << (bits_ - 1)) - 1 : (1u << bits_) - 1;
  }

  EncodedLayer encode(std::span<const float> w, std::span<const size_t> bounds,
                      const LayerContext&) const override {
    check_bounds(bounds, w.size());
    EncodedLayer out;
    out.bounds.assign(bounds.begin(), bounds.end());
    Group layer;
    if (!per_block_) {
      layer = fit(w);
      BitWriter h;
      write_group(h, layer);
      out.header = h.finish();
    }
    for (size_t c = 0; c + 1 < bounds.size(); ++c) {
      const auto chunk = w.subspan(bounds[c], bounds[c + 1] - bounds[c]);
      BitWriter out_chunk;
      out_chunk.reserve_bits(chunk.size() * bits_ + 64 * (chunk.size() / block_ + 1));
      if (!per_block_) {
        quantize(chunk, layer, out_chunk);
      } else {
        for (size_t at = 0; at < chunk.size(); at += block_) {
          const auto blk = chunk.subspan(at, std::min(block_, chunk.size() - at));
          const Group g = fit(blk);
          write_group(out_chunk, g);
          quantize(blk, g, out_chunk);
        }
      }
      out.chunks.push_back(out_chunk.finish());
    }
    return out;
  }

  std::unique_ptr<LayerDecoder> open(const Bitstream& header) const override {
    Group layer;
    BitReader r(header);
    if (!per_block_) layer = read_group(r);
    r.expect_end("quant header");
    return std::make_unique<Decoder>(*this, layer);
  }

  bool lossless() const override { return false; }
  // Unpack a field and scale it: one small multiply (the scale folds into the PE's accumulator in
  // integer datapaths); a 64-bit word per cycle.
  DecoderCost decoder_cost() const override {
    return {2, std::min(16.0, 64.0 / nominal_bits_per_weight()),
            energy_pj::kShiftMask + energy_pj::kIntMul8};
  }
  // Exact for the format: b bits per weight, plus the group's scale (and offset) per block.
  double nominal_bits_per_weight() const override {
    return bits_ + (per_block_ ? group_bits() / static_cast<double>(block_) : 0.0);
  }
  std::string error_bound() const override {
    return "|err| <= scale/2 per group (scale = max|w|/(2^(b-1)-1) symmetric, (max-min)/(2^b-1) "
           "asymmetric) plus fp32 rounding; NaN decodes to the level nearest 0, +-Inf to the "
           "extreme level";
  }
  unsigned symbol_bits() const override { return bits_; }

 private:
  class Decoder : public LayerDecoder {
   public:
    Decoder(const Quantize& q, Group layer) : q_(q), layer_(layer) {}
    void decode(const Bitstream& chunk, std::span<float> out) const override {
      BitReader in(chunk);
      if (!q_.per_block_) {
        in.require(uint64_t{q_.bits_} * out.size(), "quantized weights");
        q_.dequantize(in, layer_, out);
      } else {
        for (size_t at = 0; at < out.size(); at += q_.block_) {
          const auto blk = out.subspan(at, std::min(q_.block_, out.size() - at));
          const Group g = q_.read_group(in);
          in.require(uint64_t{q_.bits_} * blk.size(), "quantized block");
          q_.dequantize(in, g, blk);
        }
      }
      in.expect_end("quant chunk");
    }

   private:
    const Quantize& q_;
    Group layer_;
  };

  unsigned group_bits() const { return symmetric_ ? 32 : 64; }

  Group fit(std::span<const float> w) const {
    float lo = 0, hi = 0, amax = 0;
    bool any = false;
    for (float x : w) {
      if (!std::isfinite(x)) continue;
      lo = any ? std::min(lo, x) : x;
      hi = any ? std::max(hi, x) : x;
      amax = std::max(amax, std::abs(x));
      any = true;
    }
    Group g;
    if (symmetric_) {
      g.scale = amax / static_cast<float>(qmax_);
    } else {
      g.lo = lo;
      g.scale = static_cast<float>((static_cast<double>(hi) - lo) / qmax_);
    }
    if (!std::isfinite(g.scale)) g.scale = std::numeric_limits<float>::max();
    return g;
  }

  void write_group(BitWriter& out, const Group& g) const {
    out.write_float(g.scale);
    if (!symmetric_) out.write_float(g.lo);
  }
  Group read_group(BitReader& in) const {
    Group g;
    g.scale = in.read_float("quant scale");
    if (!symmetric_) g.lo = in.read_float("quant offset");
    if (!std::isfinite(g.scale) || g.scale < 0 || !std::isfinite(g.lo)) {
      throw DecodeError("quant scale/offset must be finite and the scale >= 0");
    }
    return g;
  }

  // Field value of w: level index offset so that it is unsigned.
  void quantize(std::span<const float> w, const Group& g, BitWriter& out) const {
    const double inv = g.scale > 0 ? 1.0 / g.scale : 0.0;
    const double zero =
        symmetric_ ? qmax_ : std::clamp(std::round(-g.lo * inv), 0.0, double(qmax_));
    const double top = symmetric_ ? 2.0 * qmax_ : qmax_;
    for (float x : w) {
      double q;
      if (std::isnan(x)) {
        q = zero;
      } else if (symmetric_) {
        q = std::clamp(std::round(x * inv), -double(qmax_), double(qmax_)) + qmax_;
      } else {
        q = std::clamp(std::round((static_cast<double>(x) - g.lo) * inv), 0.0, top);
      }
      if (std::isnan(q)) q = zero;  // +-Inf times a zero scale
      out.write(static_cast<uint64_t>(q), bits_);
    }
  }

  void dequantize(BitReader& in, const Group& g, std::span<float> out) const {
    if (symmetric_) {
      const int offset = static_cast<int>(qmax_);
      for (float& x : out) {
        x = static_cast<float>(static_cast<int>(in.read_unchecked(bits_)) - offset) * g.scale;
      }
    } else {
      for (float& x : out)
        x = std::fma(static_cast<float>(in.read_unchecked(bits_)), g.scale, g.lo);
    }
  }

  unsigned bits_;
  bool per_block_;
  size_t block_;
  bool symmetric_;
  unsigned qmax_ = 0;
};

NOCSIM_REGISTER(codec_registry(), Quantize, "quant",
                "uniform quantization to b bits, per tensor or per block, (a)symmetric");

}  // namespace
}  // namespace nocsim::compression
