#include "compression/layer_codecs.h"

#include <fnmatch.h>

#include "configs/user_error.h"

namespace nocsim::compression {

bool layer_matches(const std::string& pattern, const std::string& layer_name) {
  return fnmatch(pattern.c_str(), layer_name.c_str(), 0) == 0;
}

LayerCodecs::LayerCodecs(const config::CodecConfig& config, const std::string& field) {
  config::CodecConfig base = config;
  base.clear_layer();
  default_ = make_codec(base, field);
  for (int i = 0; i < config.layer_size(); ++i) {
    const auto& r = config.layer(i);
    const std::string at = field + ".layer[" + std::to_string(i) + "]";
    if (r.match().empty()) throw UserError(at + ".match", "empty (a layer name or a glob)");
    if (r.spec().empty()) throw UserError(at + ".spec", "empty (a codec spec, e.g. int4)");
    config::CodecConfig one;
    *one.mutable_plugins() = config.plugins();
    one.set_spec(r.spec());
    rules_.push_back({r.match(), make_codec(one, at)});
  }
}

const CodecChain& LayerCodecs::for_layer(const std::string& layer_name) const {
  for (const auto& r : rules_)
    if (layer_matches(r.match, layer_name)) return *r.codec;
  return *default_;
}

}  // namespace nocsim::compression
