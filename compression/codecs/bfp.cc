// bfp: block floating point per block of a chunk. Each block sends one power-of-two step 2^k
// (9 bits) and every weight as sign + m-bit magnitude q, decoded as q * 2^k; in base_delta mode
// the block also sends a base (fp32, the midrange) and the magnitudes code w - base. k is the
// smallest exponent at which the largest magnitude still fits in m bits, so |err| <= 2^k / 2
// <= max|w - base| / (2^m - 1).
#include <algorithm>
#include <bit>
#include <cmath>

#include "compression/chunk_codec.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

constexpr int kMinExp = -149;  // smallest step: the fp32 subnormal unit
constexpr int kExpBias = 149;  // stored as k + 149 in 9 bits
constexpr int kMaxExp = 127;

class BlockFloat : public ChunkCodec {
 public:
  explicit BlockFloat(CodecParams& p)
      : m_(static_cast<unsigned>(
            p.integer("mantissa_bits", 7, 2, 23, "magnitude bits per weight (plus a sign bit)"))),
        block_(static_cast<size_t>(p.integer("block", 16, 1, 1 << 16, "weights per block"))),
        base_delta_(p.choice("mode", "exponent", {"exponent", "base_delta"},
                             "shared exponent only, or a per-block base plus deltas") ==
                    "base_delta") {}

  void encode_chunk(std::span<const float> w, BitWriter& out) const override {
    for (size_t at = 0; at < w.size(); at += block_) {
      encode_block(w.subspan(at, std::min(block_, w.size() - at)), out);
    }
  }

  void decode_chunk(BitReader& in, std::span<float> out) const override {
    const unsigned width = m_ + 1;
    for (size_t at = 0; at < out.size(); at += block_) {
      const auto blk = out.subspan(at, std::min(block_, out.size() - at));
      float base = 0;
      if (base_delta_) {
        base = in.read_float("bfp base");
        if (!std::isfinite(base)) throw DecodeError("bfp base is not finite");
      }
      const int e = static_cast<int>(in.read(9, "bfp exponent"));
      if (e > kMaxExp + kExpBias) throw DecodeError("bfp exponent out of range");
      const float step = std::ldexp(1.0f, e - kExpBias);
      in.require(uint64_t{width} * blk.size(), "bfp mantissas");
      const uint32_t mask = (1u << m_) - 1;
      for (float& x : blk) {
        const uint32_t v = static_cast<uint32_t>(in.read_unchecked(width));
        const float mag = static_cast<float>(v & mask) * step;
        const float signed_mag =
            std::bit_cast<float>(std::bit_cast<uint32_t>(mag) | ((v >> m_) << 31));
        x = base_delta_ ? base + signed_mag : signed_mag;
      }
    }
  }

  bool lossless() const override { return false; }
  // Exponent mode: an int-to-float of the mantissa and an exponent add (no multiplier); base-delta
  // adds one fp32 add per weight.
  DecoderCost decoder_cost() const override {
    return {base_delta_ ? 3u : 2u, std::min(16.0, 64.0 / nominal_bits_per_weight()),
            energy_pj::kShiftMask + energy_pj::kAdd32 + (base_delta_ ? energy_pj::kFpAdd32 : 0.0)};
  }
  // Exact for full blocks: (1 + m) per weight plus the block's exponent (and base).
  double nominal_bits_per_weight() const override {
    return (m_ + 1) + (9.0 + (base_delta_ ? 32.0 : 0.0)) / static_cast<double>(block_);
  }
  std::string error_bound() const override {
    return "|err| <= step/2 <= max|w - base| / (2^m - 1) per block (m = mantissa_bits), plus "
           "one fp32 rounding of the base add; NaN -> base, +-Inf -> +-largest level";
  }
  unsigned symbol_bits() const override { return m_ + 1 <= 16 ? m_ + 1 : 8; }

 private:
  void encode_block(std::span<const float> w, BitWriter& out) const {
    double lo = 0, hi = 0;
    bool any = false;
    for (float x : w) {
      if (!std::isfinite(x)) continue;
      lo = any ? std::min<double>(lo, x) : x;
      hi = any ? std::max<double>(hi, x) : x;
      any = true;
    }
    const float base = base_delta_ ? static_cast<float>((lo + hi) / 2) : 0.0f;
    double amax = 0;
    for (float x : w) {
      if (std::isfinite(x)) amax = std::max(amax, std::abs(double(x) - base));
    }
    const double qmax = double((1u << m_) - 1);
    int k = kMinExp;
    if (amax > 0) {
      int e;
      std::frexp(amax, &e);  // amax < 2^e
      k = std::max(kMinExp, e - int(m_));
      if (std::round(std::ldexp(amax, -k)) > qmax) ++k;
    }
    if (base_delta_) out.write_float(base);
    out.write(uint64_t(k + kExpBias), 9);
    const unsigned width = m_ + 1;
    for (float x : w) {
      double d = std::isnan(x) ? 0.0 : double(x) - base;
      const uint64_t sign = std::signbit(d) ? 1 : 0;
      const double q = std::min(std::round(std::ldexp(std::abs(d), -k)), qmax);
      out.write((sign << m_) | static_cast<uint64_t>(q), width);
    }
  }

  unsigned m_;
  size_t block_;
  bool base_delta_;
};

NOCSIM_REGISTER(codec_registry(), BlockFloat, "bfp",
                "block floating point / base-delta per block: shared step, sign + m-bit mantissas");

}  // namespace
}  // namespace nocsim::compression
