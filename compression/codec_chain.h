#pragma once
// The codec a CodecConfig names: a first stage that encodes weights, followed by zero or more
// lossless bitstream coders (e.g. kmeans -> huffman). This is what every other layer should build
// and use. Its header starts with a 16-bit tag derived from the canonical spec, so a layer encoded
// with one configuration and decoded with another is a DecodeError, not garbage.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "compression/bitstream_coder.h"
#include "compression/codec.h"
#include "configs/schema/codec.pb.h"

namespace nocsim::compression {

class CodecChain : public Codec {
 public:
  // Loads config.plugins, then builds each stage. Unknown names, unknown or out-of-range
  // parameters and impossible orders are UserErrors on "<field>.stages[i]...".
  static std::unique_ptr<CodecChain> create(const config::CodecConfig& config,
                                            const std::string& field = "codec");

  EncodedLayer encode(std::span<const float> weights, std::span<const size_t> bounds,
                      const LayerContext& ctx = {}) const override;
  using Codec::encode;
  std::unique_ptr<LayerDecoder> open(const Bitstream& header) const override;
  bool lossless() const override;
  DecoderCost decoder_cost() const override;
  double nominal_bits_per_weight() const override;
  std::string error_bound() const override;
  unsigned symbol_bits() const override { return stages_.back()->symbol_bits(); }

  // Canonical spec with every parameter's effective value
  // ("kmeans:bits=4,iterations=20+huffman:...").
  const std::string& spec() const { return spec_; }
  uint16_t tag() const { return tag_; }
  size_t num_stages() const { return stages_.size(); }
  const Codec& stage(size_t i) const { return *stages_[i]; }

 private:
  CodecChain() = default;
  std::vector<std::unique_ptr<Codec>> stages_;
  std::vector<unsigned> inner_widths_;  // symbol width fed to stage i (i >= 1)
  std::string spec_;
  uint16_t tag_ = 0;
  mutable std::once_flag nominal_once_;
  mutable double nominal_ = 0;
};

// Shorthands: from a config, or from a spec string (see codec_spec.h).
std::unique_ptr<CodecChain> make_codec(const config::CodecConfig& config,
                                       const std::string& field = "codec");
std::unique_ptr<CodecChain> make_codec(const std::string& spec);

}  // namespace nocsim::compression
