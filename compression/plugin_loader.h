#pragma once
// Loads out-of-tree codec libraries (CodecConfig.plugins) with dlopen and lets them register their
// codecs through the versioned entry point of plugin_api.h. Loading the same path twice is a no-op;
// libraries are never unloaded (their codecs may be alive anywhere).
#include <string>

namespace nocsim::compression {

// Throws UserError on `field` when the file cannot be loaded, exports no entry point, was built for
// another plugin API version, or registers a name that already exists.
void load_codec_plugin(const std::string& path, const std::string& field = "codec.plugins[0]");

}  // namespace nocsim::compression
