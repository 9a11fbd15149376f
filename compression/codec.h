#pragma once
// The weight-codec interface. A codec encodes a whole layer's flat weight vector into a header
// (state every chunk needs, sent once per PE that holds part of the layer) and chunks whose
// boundaries the caller chooses (one per PE share, or per packet). Decoding needs the header once
// (open()) and then any chunk on its own.
//
// Thread safety: codecs and LayerDecoders are immutable after construction; const methods may run
// concurrently.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "compression/bitstream.h"
#include "compression/decoder_cost.h"
#include "compression/layer_context.h"

namespace nocsim::compression {

class BitstreamCoder;

// A layer's header, parsed and validated once; decodes that layer's chunks.
class LayerDecoder {
 public:
  virtual ~LayerDecoder() = default;
  // Decodes one chunk into `out` (out.size() = the number of weights the chunk covers). Throws
  // DecodeError on a truncated, corrupted or mismatched chunk; never reads out of bounds.
  virtual void decode(const Bitstream& chunk, std::span<float> out) const = 0;
};

class Codec {
 public:
  virtual ~Codec() = default;

  // Encodes `weights`; `bounds` = {0, b1, ..., n}, strictly increasing (see even_bounds()).
  virtual EncodedLayer encode(std::span<const float> weights, std::span<const size_t> bounds,
                              const LayerContext& ctx = {}) const = 0;
  // Parses a header made by encode(); throws DecodeError if it is not one.
  virtual std::unique_ptr<LayerDecoder> open(const Bitstream& header) const = 0;

  virtual bool lossless() const = 0;
  virtual DecoderCost decoder_cost() const = 0;
  // Size prediction without data, for traffic-only runs (headers excluded); each codec documents
  // how it estimates (README, "Codecs").
  virtual double nominal_bits_per_weight() const = 0;
  // The documented worst-case error, in words ("|err| <= scale/2 per group").
  virtual std::string error_bound() const = 0;
  // Width of the natural symbols of this codec's chunks (index width for k-means and
  // quantization); a following entropy coder codes symbols of this width.
  virtual unsigned symbol_bits() const { return 8; }
  // Lossless bitstream re-coders (Huffman) return themselves, which lets them follow another
  // stage in a chain.
  virtual const BitstreamCoder* bitstream_coder() const { return nullptr; }

  // Conveniences: encode with even chunks, decode every chunk of an encoded layer.
  EncodedLayer encode(std::span<const float> weights, size_t chunk_weights = 0) const;
  std::vector<float> decode(const EncodedLayer& layer) const;
};

// Throws UserError("chunk bounds", ...) unless bounds = {0, ..., n} strictly increasing (a layer
// of zero weights has bounds {0}).
void check_bounds(std::span<const size_t> bounds, size_t n);

// Predicts chunk bits per weight (headers excluded) by encoding a fixed pseudo-random Gaussian
// layer (N(0, 0.05^2), 16384 weights, 4096-weight chunks): for data-dependent codecs (Huffman).
double synthetic_bits_per_weight(const Codec& codec);

}  // namespace nocsim::compression
