// bf16: the upper 16 bits of fp32 (8-bit exponent, 7-bit mantissa) rounded to nearest even. Same
// range as fp32, so only |w| within half an ulp of FLT_MAX overflows (to +-Inf, as IEEE does).
#include <bit>

#include "compression/chunk_codec.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

class Bf16 : public ChunkCodec {
 public:
  explicit Bf16(CodecParams&) {}
  void encode_chunk(std::span<const float> w, BitWriter& out) const override {
    for (float f : w) {
      const uint32_t x = std::bit_cast<uint32_t>(f);
      uint32_t h;
      if ((x & 0x7fffffffu) > 0x7f800000u) {
        h = (x >> 16) | 0x40u;  // NaN: keep sign and top payload, force quiet
      } else {
        h = (x + 0x7fffu + ((x >> 16) & 1u)) >> 16;
      }
      out.write(h, 16);
    }
  }
  void decode_chunk(BitReader& in, std::span<float> out) const override {
    in.require(uint64_t{16} * out.size(), "bf16 weights");
    for (float& x : out)
      x = std::bit_cast<float>(static_cast<uint32_t>(in.read_unchecked(16)) << 16);
  }
  bool lossless() const override { return false; }
  // Decoding appends 16 zero bits: pure wiring.
  DecoderCost decoder_cost() const override { return {0, 4.0, 0.0}; }
  double nominal_bits_per_weight() const override { return 16; }
  std::string error_bound() const override {
    return "|err| <= 2^-8 |w| for normal w, <= 2^-134 for fp32 subnormals; NaN stays NaN; "
           "|w| > 3.3961e38 becomes +-Inf";
  }
};

NOCSIM_REGISTER(codec_registry(), Bf16, "bf16", "bfloat16, 16 bits/weight");

}  // namespace
}  // namespace nocsim::compression
