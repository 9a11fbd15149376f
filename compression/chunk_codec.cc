#include "compression/chunk_codec.h"

namespace nocsim::compression {

namespace {
class ChunkDecoder : public LayerDecoder {
 public:
  explicit ChunkDecoder(const ChunkCodec& codec) : codec_(codec) {}
  void decode(const Bitstream& chunk, std::span<float> out) const override {
    BitReader in(chunk);
    codec_.decode_chunk(in, out);
    in.expect_end("chunk");
  }

 private:
  const ChunkCodec& codec_;
};
}  // namespace

EncodedLayer ChunkCodec::encode(std::span<const float> weights, std::span<const size_t> bounds,
                                const LayerContext&) const {
  check_bounds(bounds, weights.size());
  EncodedLayer out;
  out.bounds.assign(bounds.begin(), bounds.end());
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    BitWriter w;
    w.reserve_bits((bounds[i + 1] - bounds[i]) * 33);
    encode_chunk(weights.subspan(bounds[i], bounds[i + 1] - bounds[i]), w);
    out.chunks.push_back(w.finish());
  }
  return out;
}

std::unique_ptr<LayerDecoder> ChunkCodec::open(const Bitstream& header) const {
  if (header.bits != 0) {
    throw DecodeError("this codec has no layer header, got " + std::to_string(header.bits) +
                      " bits");
  }
  return std::make_unique<ChunkDecoder>(*this);
}

}  // namespace nocsim::compression
