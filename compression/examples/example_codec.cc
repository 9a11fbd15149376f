// An out-of-tree codec, built as a shared library that nocsim loads with dlopen when a config lists
// it under codec.plugins (or a spec starts with "@path+"). It registers "example_binary":
// XNOR-Net-style binarization, one sign bit per weight decoded as +-alpha, where alpha (the mean
// |w| of the layer, the L2-optimal magnitude) travels in the layer header.
#include <cmath>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "compression/codec.h"
#include "compression/codec_params.h"
#include "compression/plugin_api.h"

namespace {

using namespace nocsim::compression;

class Binary : public Codec {
 public:
  explicit Binary(CodecParams& p)
      : scale_(p.real("scale", 1.0, 0.0, 1e6, "multiplier on alpha = mean |w|")) {}

  EncodedLayer encode(std::span<const float> w, std::span<const size_t> bounds,
                      const LayerContext&) const override {
    check_bounds(bounds, w.size());
    double sum = 0;
    size_t n = 0;
    for (float x : w) {
      if (std::isfinite(x)) sum += std::abs(x), ++n;
    }
    EncodedLayer out;
    out.bounds.assign(bounds.begin(), bounds.end());
    BitWriter h;
    h.write_float(static_cast<float>(n ? scale_ * sum / double(n) : 0.0));
    out.header = h.finish();
    for (size_t c = 0; c + 1 < bounds.size(); ++c) {
      BitWriter wr;
      for (size_t i = bounds[c]; i < bounds[c + 1]; ++i) wr.write(std::signbit(w[i]) ? 1 : 0, 1);
      out.chunks.push_back(wr.finish());
    }
    return out;
  }

  std::unique_ptr<LayerDecoder> open(const Bitstream& header) const override {
    BitReader r(header);
    const float alpha = r.read_float("alpha");
    r.expect_end("example_binary header");
    if (!std::isfinite(alpha) || alpha < 0) throw DecodeError("alpha must be finite and >= 0");
    return std::make_unique<Decoder>(alpha);
  }

  bool lossless() const override { return false; }
  DecoderCost decoder_cost() const override { return {1, 64.0, 0.01}; }
  double nominal_bits_per_weight() const override { return 1.0; }
  std::string error_bound() const override { return "|err| <= |w| + alpha"; }
  unsigned symbol_bits() const override { return 8; }

 private:
  struct Decoder : LayerDecoder {
    explicit Decoder(float a) : alpha(a) {}
    void decode(const Bitstream& chunk, std::span<float> out) const override {
      BitReader in(chunk);
      in.require(out.size(), "sign bits");
      for (float& x : out) x = in.read_unchecked(1) ? -alpha : alpha;
      in.expect_end("example_binary chunk");
    }
    float alpha;
  };
  double scale_;
};

Codec* make_binary(CodecParams* p) {
  return new Binary(*p);
}

}  // namespace

extern "C" int nocsim_codec_plugin_v1(const NocsimCodecPluginTableV1* table) {
  if (table->api_version != NOCSIM_CODEC_PLUGIN_API_VERSION) return 1;
  return table->register_codec(table->host, "example_binary",
                               "example plugin: 1-bit signs decoded as +-mean|w|", &make_binary);
}
