#include "compression/plugin_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <set>

#include "compression/codec_registry.h"
#include "compression/plugin_api.h"
#include "configs/user_error.h"

namespace nocsim::compression {

namespace {

struct Host {
  std::string error;
  std::vector<std::string> registered;
};

int register_codec(void* host, const char* name, const char* description,
                   NocsimCodecFactoryV1 factory) {
  auto* h = static_cast<Host*>(host);
  if (name == nullptr || *name == '\0' || factory == nullptr) {
    h->error = "register_codec needs a name and a factory";
    return 1;
  }
  if (codec_registry().find(name) != nullptr) {
    h->error = std::string("codec name '") + name + "' is already registered";
    return 1;
  }
  codec_registry().add(name, description ? description : "",
                       [factory](CodecParams& p) { return std::unique_ptr<Codec>(factory(&p)); });
  h->registered.emplace_back(name);
  return 0;
}

const char* last_error(void* host) {
  return static_cast<Host*>(host)->error.c_str();
}

}  // namespace

void load_codec_plugin(const std::string& path, const std::string& field) {
  static std::mutex mutex;
  static std::set<std::string> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  std::error_code ec;
  const std::string key = std::filesystem::weakly_canonical(path, ec).string();
  if (loaded.count(key)) return;
  if (!std::filesystem::exists(path, ec)) {
    throw UserError(field, "codec plugin '" + path + "' does not exist");
  }
  // A path without '/' would make dlopen search the library path instead of the named file.
  const std::string open_path = path.find('/') == std::string::npos ? "./" + path : path;
  void* lib = dlopen(open_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    throw UserError(field, "cannot load codec plugin '" + path + "': " + (why ? why : "?"));
  }
  auto entry = reinterpret_cast<NocsimCodecPluginEntryV1>(dlsym(lib, NOCSIM_CODEC_PLUGIN_ENTRY));
  if (entry == nullptr) {
    std::string other;
    for (int v = 0; v < 100 && other.empty(); ++v) {
      if (v == NOCSIM_CODEC_PLUGIN_API_VERSION) continue;
      const std::string sym = "nocsim_codec_plugin_v" + std::to_string(v);
      if (dlsym(lib, sym.c_str()) != nullptr) other = sym;
    }
    dlclose(lib);
    if (!other.empty()) {
      throw UserError(field, "codec plugin '" + path + "' was built for another plugin API (" +
                                 other +
                                 "); this nocsim loads " NOCSIM_CODEC_PLUGIN_ENTRY
                                 " - rebuild the plugin against this nocsim");
    }
    throw UserError(field, "'" + path + "' is not a nocsim codec plugin: it does not export " +
                               NOCSIM_CODEC_PLUGIN_ENTRY);
  }
  Host host;
  const NocsimCodecPluginTableV1 table{NOCSIM_CODEC_PLUGIN_API_VERSION, &host, &register_codec,
                                       &last_error};
  const int rc = entry(&table);
  if (rc != 0) {
    throw UserError(field, "codec plugin '" + path + "' failed to register (code " +
                               std::to_string(rc) + ")" +
                               (host.error.empty() ? "" : ": " + host.error));
  }
  if (host.registered.empty()) {
    throw UserError(field, "codec plugin '" + path + "' registered no codec");
  }
  loaded.insert(key);
}

}  // namespace nocsim::compression
