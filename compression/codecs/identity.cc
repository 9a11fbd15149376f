// identity: raw IEEE fp32, 32 bits per weight. The reference point of every comparison and the
// first stage of a chain that only entropy-codes.
#include <bit>

#include "compression/chunk_codec.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

class Identity : public ChunkCodec {
 public:
  explicit Identity(CodecParams&) {}
  void encode_chunk(std::span<const float> w, BitWriter& out) const override {
    for (float x : w) out.write(std::bit_cast<uint32_t>(x), 32);
  }
  void decode_chunk(BitReader& in, std::span<float> out) const override {
    in.require(uint64_t{32} * out.size(), "fp32 weights");
    for (float& x : out) x = std::bit_cast<float>(static_cast<uint32_t>(in.read_unchecked(32)));
  }
  bool lossless() const override { return true; }
  // A wire: one 64-bit word (two weights) per cycle, nothing to compute.
  DecoderCost decoder_cost() const override { return {0, 2.0, 0.0}; }
  double nominal_bits_per_weight() const override { return 32; }
  std::string error_bound() const override { return "lossless (bit-exact, NaN payloads kept)"; }
};

NOCSIM_REGISTER(codec_registry(), Identity, "identity", "raw fp32, 32 bits/weight (lossless)");

}  // namespace
}  // namespace nocsim::compression
