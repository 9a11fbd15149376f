// truncate: fp32 with the mantissa cut to m bits (sign + 8-bit exponent + m bits per weight), the
// cheapest lossy format a NoC interface can apply per packet: decoding appends zero bits.
#include <bit>

#include "compression/chunk_codec.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

class Truncate : public ChunkCodec {
 public:
  explicit Truncate(CodecParams& p)
      : m_(static_cast<unsigned>(p.integer("mantissa_bits", 10, 1, 23, "mantissa bits kept"))),
        nearest_(p.choice("rounding", "nearest", {"nearest", "truncate"},
                          "round to nearest even, or drop the bits (toward zero)") == "nearest") {}

  void encode_chunk(std::span<const float> w, BitWriter& out) const override {
    const unsigned drop = 23 - m_;
    const uint32_t max_finite = (0xfeu << m_) | ((1u << m_) - 1);  // exponent 254, mantissa all 1
    for (float f : w) {
      const uint32_t x = std::bit_cast<uint32_t>(f);
      const uint32_t sign = x >> 31;
      const uint32_t ax = x & 0x7fffffffu;
      uint32_t v;
      if (ax > 0x7f800000u) {
        v = (ax >> drop) | (1u << (m_ - 1));  // NaN: quiet bit survives the cut
      } else if (ax == 0x7f800000u || drop == 0 || !nearest_) {
        v = ax >> drop;
      } else {
        const uint32_t half = (1u << (drop - 1)) - 1;
        v = (ax + half + ((ax >> drop) & 1u)) >> drop;
        if (v > max_finite) v = max_finite;  // rounding up must not turn a finite value into Inf
      }
      out.write(v | (sign << (8 + m_)), 9 + m_);
    }
  }
  void decode_chunk(BitReader& in, std::span<float> out) const override {
    const unsigned width = 9 + m_, drop = 23 - m_;
    in.require(uint64_t{width} * out.size(), "truncated-mantissa weights");
    for (float& x : out) {
      const uint32_t v = static_cast<uint32_t>(in.read_unchecked(width));
      const uint32_t sign = (v >> (8 + m_)) << 31;
      x = std::bit_cast<float>(sign | ((v & ((1u << (8 + m_)) - 1)) << drop));
    }
  }
  bool lossless() const override { return m_ == 23; }
  // A shift: wiring.
  DecoderCost decoder_cost() const override { return {0, 64.0 / (9 + m_), 0.0}; }
  double nominal_bits_per_weight() const override { return 9 + m_; }
  std::string error_bound() const override {
    return std::string("|err| <= ") + (nearest_ ? "2^-(m+1)" : "2^-m") +
           " |w| for normal w (m = mantissa_bits); fp32 subnormals lose the same low bits; "
           "NaN/Inf kept; never rounds a finite value to Inf";
  }
  unsigned symbol_bits() const override { return 9 + m_ <= 16 ? 9 + m_ : 8; }

 private:
  unsigned m_;
  bool nearest_;
};

NOCSIM_REGISTER(codec_registry(), Truncate, "truncate",
                "fp32 mantissa cut to m bits, 9+m bits/weight");

}  // namespace
}  // namespace nocsim::compression
