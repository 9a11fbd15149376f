#pragma once
// Loads out-of-tree codec libraries (CodecConfig.plugins) with dlopen and lets them register their
// codecs through the versioned entry point of plugin_api.h. Loading the same path twice is a no-op;
// libraries are never unloaded (their codecs may be alive anywhere).
//
// A library runs with the user's rights from the moment dlopen maps it (its static constructors
// run before any entry point is looked up), so it is opened only when the user allowed its
// canonical path: through allow_codec_plugin (the --allow-plugin flag, nocsim.allow_plugin in
// Python) or NOCSIM_ALLOW_PLUGINS (colon-separated paths). The allow-list belongs to the process,
// as the environment and the loaded libraries do.
#include <string>

namespace nocsim::compression {

// Allows the library at `path` (relative to the working directory; symlinks resolved).
void allow_codec_plugin(const std::string& path);
// Forgets every path allowed so far (NOCSIM_ALLOW_PLUGINS still counts): each command line starts
// with what it says.
void clear_allowed_codec_plugins();

// The canonical path of the plugin file `path`; a UserError on `field` when it does not exist or
// is not a regular file.
std::string canonical_plugin_path(const std::string& path, const std::string& field);
// Throws a UserError on `field` that names the library and says how to allow it, unless allowed.
void check_codec_plugin_allowed(const std::string& path, const std::string& field);

// Throws UserError on `field` when the file is not allowed or cannot be loaded, exports no entry
// point, was built for another plugin API version, throws, or registers nothing or a name that
// already exists. A factory that later returns null or throws is a UserError naming the library.
void load_codec_plugin(const std::string& path, const std::string& field = "codec.plugins[0]");

}  // namespace nocsim::compression
