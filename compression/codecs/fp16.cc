// fp16: IEEE half precision, 16 bits per weight, round to nearest even. Values past the fp16 range
// saturate to +-65504 (default) or become +-Inf; fp32 values below 2^-24 flush towards zero.
#include "compression/chunk_codec.h"
#include "compression/codec_registry.h"
#include "compression/float_bits.h"

namespace nocsim::compression {
namespace {

class Fp16 : public ChunkCodec {
 public:
  explicit Fp16(CodecParams& p)
      : saturate_(p.flag("saturate", true,
                         "clamp |w| >= 65520 and +-Inf to +-65504 instead of encoding +-Inf")) {}
  void encode_chunk(std::span<const float> w, BitWriter& out) const override {
    for (float x : w) out.write(float_to_half(x, saturate_), 16);
  }
  void decode_chunk(BitReader& in, std::span<float> out) const override {
    in.require(uint64_t{16} * out.size(), "fp16 weights");
    for (float& x : out) x = half_to_float(static_cast<uint16_t>(in.read_unchecked(16)));
  }
  bool lossless() const override { return false; }
  // Exponent rebias and mantissa shift: wiring plus a small adder.
  DecoderCost decoder_cost() const override { return {1, 4.0, energy_pj::kShiftMask}; }
  double nominal_bits_per_weight() const override { return 16; }
  std::string error_bound() const override {
    return "|err| <= 2^-11 |w| for 2^-14 <= |w| <= 65504, |err| <= 2^-25 below; NaN stays NaN; "
           "beyond 65504 saturates (or Inf with saturate=false)";
  }

 private:
  bool saturate_;
};

NOCSIM_REGISTER(codec_registry(), Fp16, "fp16", "IEEE half precision, 16 bits/weight");

}  // namespace
}  // namespace nocsim::compression
