#pragma once
// The ABI between nocsim and an out-of-tree codec library. A plugin is a C++ shared library built
// against these headers that exports exactly one C symbol, the versioned entry point
//
//   extern "C" int nocsim_codec_plugin_v1(const NocsimCodecPluginTableV1* table);
//
// which calls table->register_codec once per codec and returns 0 (nonzero = failure). When the
// table changes incompatibly the version in the symbol name goes up, so a library built for another
// version is told apart from a library that is no plugin at all.
#include <cstdint>

namespace nocsim::compression {
class Codec;
class CodecParams;
}  // namespace nocsim::compression

#define NOCSIM_CODEC_PLUGIN_API_VERSION 1
#define NOCSIM_CODEC_PLUGIN_ENTRY "nocsim_codec_plugin_v1"

extern "C" {

// Builds a codec from its parameters (declared and read through CodecParams, as built-ins do);
// returns a new object owned by the caller. May throw nocsim::UserError for bad parameters.
typedef nocsim::compression::Codec* (*NocsimCodecFactoryV1)(nocsim::compression::CodecParams*);

struct NocsimCodecPluginTableV1 {
  uint32_t api_version;  // NOCSIM_CODEC_PLUGIN_API_VERSION of the host
  void* host;            // pass back to register_codec
  // Returns 0, or nonzero when the name is empty or already taken (see last_error).
  int (*register_codec)(void* host, const char* name, const char* description,
                        NocsimCodecFactoryV1 factory);
  const char* (*last_error)(void* host);
};

typedef int (*NocsimCodecPluginEntryV1)(const NocsimCodecPluginTableV1* table);
}
