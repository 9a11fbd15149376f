#pragma once
// Per-layer codec selection: CodecConfig.layer rules (layer name or glob -> spec), falling back to
// the config's own spec/stages. Every distinct codec is built once, up front, so a bad rule fails
// before any work (UserError on "<field>.layer[i].spec").
#include <memory>
#include <string>
#include <vector>

#include "compression/codec_chain.h"
#include "configs/schema/codec.pb.h"

namespace nocsim::compression {

// True when `layer_name` matches `pattern` (fnmatch glob; a plain name matches itself).
bool layer_matches(const std::string& pattern, const std::string& layer_name);

class LayerCodecs {
 public:
  LayerCodecs(const config::CodecConfig& config, const std::string& field);
  // The codec of the layer named `layer_name` (the default when no rule matches).
  const CodecChain& for_layer(const std::string& layer_name) const;
  const CodecChain& default_codec() const { return *default_; }
  bool per_layer() const { return !rules_.empty(); }

 private:
  struct Rule {
    std::string match;
    std::unique_ptr<CodecChain> codec;
  };
  std::unique_ptr<CodecChain> default_;
  std::vector<Rule> rules_;
};

}  // namespace nocsim::compression
