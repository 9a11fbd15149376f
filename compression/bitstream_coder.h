#pragma once
// A lossless re-coder of another stage's bitstream (Huffman): the second half of chains such as
// k-means -> Huffman. It codes the inner chunks as symbols of a given width and wraps the inner
// header inside its own.
#include <memory>

#include "compression/bitstream.h"
#include "compression/decoder_cost.h"

namespace nocsim::compression {

// The re-coder's header, parsed; turns outer chunks back into inner chunks.
class ChunkRecoder {
 public:
  virtual ~ChunkRecoder() = default;
  virtual const Bitstream& inner_header() const = 0;
  // Throws DecodeError on a bad chunk.
  virtual Bitstream decode(const Bitstream& chunk) const = 0;
};

class BitstreamCoder {
 public:
  virtual ~BitstreamCoder() = default;
  // `inner_symbol_bits` is the natural symbol width of the stage before (used unless the coder
  // was given its own).
  virtual EncodedLayer recode(const EncodedLayer& inner, unsigned inner_symbol_bits) const = 0;
  virtual std::unique_ptr<ChunkRecoder> open_recoder(const Bitstream& header) const = 0;
  // Cost per weight when each weight is `symbols_per_weight` symbols on average.
  virtual DecoderCost recoder_cost(double symbols_per_weight) const = 0;
  virtual unsigned symbol_bits_for(unsigned inner_symbol_bits) const = 0;
};

}  // namespace nocsim::compression
