// Test fixture: a plugin of the right version that tries to register a name a built-in already
// has; the loader must refuse it with a clear error instead of replacing the built-in.
#include "compression/plugin_api.h"

namespace {
nocsim::compression::Codec* make_nothing(nocsim::compression::CodecParams*) {
  return nullptr;
}
}  // namespace

extern "C" int nocsim_codec_plugin_v1(const NocsimCodecPluginTableV1* table) {
  return table->register_codec(table->host, "quant", "clashes with the built-in", &make_nothing);
}
