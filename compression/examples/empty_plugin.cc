// Test fixture: a plugin of the right version whose entry point succeeds but registers nothing.
#include "compression/plugin_api.h"

extern "C" int nocsim_codec_plugin_v1(const NocsimCodecPluginTableV1*) {
  return 0;
}
