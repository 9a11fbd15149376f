#pragma once
// Base for codecs whose chunks need no layer header (fp16, bf16, mantissa truncation, block
// floating point, pruning): implement encode_chunk() and decode_chunk(); the base checks the chunk
// bounds, requires the header to be empty and each chunk to be consumed exactly.
#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "compression/codec.h"

namespace nocsim::compression {

class ChunkCodec : public Codec {
 public:
  EncodedLayer encode(std::span<const float> weights, std::span<const size_t> bounds,
                      const LayerContext& ctx = {}) const final;
  std::unique_ptr<LayerDecoder> open(const Bitstream& header) const final;
  using Codec::encode;

  // Appends the chunk holding `weights`.
  virtual void encode_chunk(std::span<const float> weights, BitWriter& out) const = 0;
  // Decodes out.size() weights; the base then checks that no bits are left over.
  virtual void decode_chunk(BitReader& in, std::span<float> out) const = 0;
};

}  // namespace nocsim::compression
