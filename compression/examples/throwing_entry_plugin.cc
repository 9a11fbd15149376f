// Test fixture: a plugin whose entry point throws instead of returning a code.
#include <stdexcept>

#include "compression/plugin_api.h"

extern "C" int nocsim_codec_plugin_v1(const NocsimCodecPluginTableV1*) {
  throw std::runtime_error("entry point gave up");
}
