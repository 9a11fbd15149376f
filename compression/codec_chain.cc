#include "compression/codec_chain.h"

#include <algorithm>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "compression/codec_registry.h"
#include "compression/codec_spec.h"
#include "compression/plugin_loader.h"
#include "configs/user_error.h"

namespace nocsim::compression {

namespace {

uint16_t fnv16(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return static_cast<uint16_t>((h >> 16) ^ (h & 0xffff));
}

class ChainDecoder : public LayerDecoder {
 public:
  std::vector<std::unique_ptr<ChunkRecoder>> recoders;  // outermost first
  std::unique_ptr<LayerDecoder> first;

  void decode(const Bitstream& chunk, std::span<float> out) const override {
    if (recoders.empty()) return first->decode(chunk, out);
    Bitstream cur = recoders.front()->decode(chunk);
    for (size_t i = 1; i < recoders.size(); ++i) cur = recoders[i]->decode(cur);
    first->decode(cur, out);
  }
};

}  // namespace

std::unique_ptr<CodecChain> CodecChain::create(const config::CodecConfig& config,
                                               const std::string& field) {
  if (!config.spec().empty()) {
    // Expand the compact form and build that; its mistakes are reported on the spec line, since
    // the stages they would name do not exist in the user's file.
    const std::string at = field + ".spec";
    if (config.stages_size() > 0) throw UserError(at, "give either spec or stages, not both");
    config::CodecConfig expanded;
    *expanded.mutable_plugins() = config.plugins();
    expanded.MergeFrom(parse_codec_spec(config.spec(), at));
    try {
      return create(expanded, field);
    } catch (const UserError& e) {
      if (e.field().rfind(field + ".", 0) != 0) throw;
      throw UserError(
          at, "'" + config.spec() + "': " + e.field().substr(field.size() + 1) + ": " + e.reason());
    }
  }
  for (int i = 0; i < config.plugins_size(); ++i) {
    load_codec_plugin(config.plugins(i), field + ".plugins[" + std::to_string(i) + "]");
  }
  std::unique_ptr<CodecChain> chain(new CodecChain());
  config::CodecConfig stages = config;
  if (stages.stages_size() == 0) stages.add_stages()->set_name("identity");
  for (int i = 0; i < stages.stages_size(); ++i) {
    const auto& st = stages.stages(i);
    const std::string at = field + ".stages[" + std::to_string(i) + "]";
    std::map<std::string, std::string> values(st.params().begin(), st.params().end());
    CodecParams params(values, at + ".params");
    auto codec = codec_registry().create(st.name(), at + ".name", params);
    params.finish();
    if (i > 0) {
      if (codec->bitstream_coder() == nullptr) {
        std::string coders;
        for (const auto& [name, entry] : codec_registry().entries()) {
          CodecParams defaults;
          if (entry.make(defaults)->bitstream_coder() != nullptr) {
            coders += (coders.empty() ? "" : ", ") + name;
          }
        }
        throw UserError(at + ".name", "'" + st.name() +
                                          "' encodes weights, so it can only be the first stage; "
                                          "later stages must be lossless bitstream coders (" +
                                          coders + ")");
      }
      chain->inner_widths_.push_back(chain->stages_.back()->symbol_bits());
    } else {
      chain->inner_widths_.push_back(0);
    }
    chain->spec_ += (i ? "+" : "") + st.name();
    const std::string canon = params.canonical();
    if (!canon.empty()) chain->spec_ += ":" + canon;
    chain->stages_.push_back(std::move(codec));
  }
  chain->tag_ = fnv16(chain->spec_);
  return chain;
}

EncodedLayer CodecChain::encode(std::span<const float> weights, std::span<const size_t> bounds,
                                const LayerContext& ctx) const {
  check_bounds(bounds, weights.size());
  EncodedLayer e = stages_[0]->encode(weights, bounds, ctx);
  for (size_t i = 1; i < stages_.size(); ++i) {
    e = stages_[i]->bitstream_coder()->recode(e, inner_widths_[i]);
  }
  BitWriter h;
  h.write(tag_, 16);
  h.append(e.header);
  e.header = h.finish();
  return e;
}

std::unique_ptr<LayerDecoder> CodecChain::open(const Bitstream& header) const {
  BitReader r(header);
  const auto tag = static_cast<uint16_t>(r.read(16, "codec tag"));
  if (tag != tag_) {
    throw DecodeError("header was written by another codec configuration (tag " +
                      std::to_string(tag) + ", expected " + std::to_string(tag_) + " for " + spec_ +
                      ")");
  }
  Bitstream inner = r.read_bits(r.remaining(), "header");
  auto dec = std::make_unique<ChainDecoder>();
  for (size_t i = stages_.size(); i-- > 1;) {
    dec->recoders.push_back(stages_[i]->bitstream_coder()->open_recoder(inner));
    inner = dec->recoders.back()->inner_header();
  }
  dec->first = stages_[0]->open(inner);
  return dec;
}

bool CodecChain::lossless() const {
  return std::all_of(stages_.begin(), stages_.end(), [](const auto& s) { return s->lossless(); });
}

DecoderCost CodecChain::decoder_cost() const {
  DecoderCost c = stages_[0]->decoder_cost();
  double bits = stages_[0]->nominal_bits_per_weight();
  for (size_t i = 1; i < stages_.size(); ++i) {
    const BitstreamCoder* coder = stages_[i]->bitstream_coder();
    const double symbols = bits / coder->symbol_bits_for(inner_widths_[i]);
    const DecoderCost r = coder->recoder_cost(symbols);
    c.latency_cycles += r.latency_cycles;
    c.weights_per_cycle = std::min(c.weights_per_cycle, r.weights_per_cycle);
    c.energy_pj_per_weight += r.energy_pj_per_weight;
    bits = stages_[i]->nominal_bits_per_weight();
  }
  return c;
}

double CodecChain::nominal_bits_per_weight() const {
  if (stages_.size() == 1) return stages_[0]->nominal_bits_per_weight();
  std::call_once(nominal_once_, [&] { nominal_ = synthetic_bits_per_weight(*this); });
  return nominal_;
}

std::string CodecChain::error_bound() const {
  return lossless() ? "lossless (bit-exact)" : stages_[0]->error_bound();
}

std::unique_ptr<CodecChain> make_codec(const config::CodecConfig& config,
                                       const std::string& field) {
  return CodecChain::create(config, field);
}

std::unique_ptr<CodecChain> make_codec(const std::string& spec) {
  return CodecChain::create(parse_codec_spec(spec));
}

}  // namespace nocsim::compression
