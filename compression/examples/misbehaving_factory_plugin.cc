// Test fixture: a plugin that registers two codecs whose factories misbehave, one returning null
// and one throwing a non-nocsim exception; nocsim must turn both into errors naming the library.
#include <stdexcept>

#include "compression/plugin_api.h"

namespace {
nocsim::compression::Codec* make_null(nocsim::compression::CodecParams*) {
  return nullptr;
}
nocsim::compression::Codec* make_throw(nocsim::compression::CodecParams*) {
  throw std::runtime_error("out of ideas");
}
}  // namespace

extern "C" int nocsim_codec_plugin_v1(const NocsimCodecPluginTableV1* table) {
  if (table->register_codec(table->host, "null_factory", "returns null", &make_null) != 0) return 1;
  return table->register_codec(table->host, "throwing_factory", "throws", &make_throw);
}
