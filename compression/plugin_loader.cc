#include "compression/plugin_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>

#include "compression/codec_registry.h"
#include "compression/plugin_api.h"
#include "configs/user_error.h"

namespace nocsim::compression {

namespace {

namespace fs = std::filesystem;

struct Host {
  std::string path;  // the library, for errors its codecs raise later
  std::string error;
  std::vector<std::string> registered;
};

// A factory is the plugin's code: whatever it does wrong becomes an error naming the library.
std::unique_ptr<Codec> make_plugin_codec(NocsimCodecFactoryV1 factory, const std::string& path,
                                         const std::string& name, CodecParams& p) {
  Codec* codec = nullptr;
  const std::string what = "codec plugin '" + path + "': the factory of '" + name + "'";
  try {
    codec = factory(&p);
  } catch (const UserError&) {
    throw;  // a parameter the factory refused: already names the parameter
  } catch (const std::exception& e) {
    throw UserError(p.stage_field(), what + " threw: " + e.what());
  } catch (...) {
    throw UserError(p.stage_field(), what + " threw something that is not a std::exception");
  }
  if (codec == nullptr) throw UserError(p.stage_field(), what + " returned no codec (null)");
  return std::unique_ptr<Codec>(codec);
}

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
                       [factory, path = h->path, codec = std::string(name)](CodecParams& p) {
                         return make_plugin_codec(factory, path, codec, p);
                       });
  h->registered.emplace_back(name);
  return 0;
}

const char* last_error(void* host) {
  return static_cast<Host*>(host)->error.c_str();
}

std::mutex& allowed_mutex() {
  static std::mutex m;
  return m;
}
std::set<std::string>& allowed() {
  static std::set<std::string> paths;
  return paths;
}

// The path as the allow-list compares it: absolute, symlinks resolved where the file exists.
std::string comparable(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : p.string();
}

bool allowed_by_environment(const std::string& canonical) {
  const char* env = std::getenv("NOCSIM_ALLOW_PLUGINS");
  if (env == nullptr) return false;
  std::stringstream list(env);
  std::string entry;
  while (std::getline(list, entry, ':'))
    if (!entry.empty() && comparable(entry) == canonical) return true;
  return false;
}

}  // namespace

void allow_codec_plugin(const std::string& path) {
  std::lock_guard<std::mutex> lock(allowed_mutex());
  allowed().insert(comparable(path));
}

void clear_allowed_codec_plugins() {
  std::lock_guard<std::mutex> lock(allowed_mutex());
  allowed().clear();
}

std::string canonical_plugin_path(const std::string& path, const std::string& field) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw UserError(field, "codec plugin '" + path + "' does not exist");
  const fs::path canonical = fs::canonical(path, ec);
  if (ec || !fs::is_regular_file(canonical, ec))
    throw UserError(field, "codec plugin '" + path + "' is not a regular file");
  return canonical.string();
}

void check_codec_plugin_allowed(const std::string& path, const std::string& field) {
  const std::string canonical = canonical_plugin_path(path, field);
  {
    std::lock_guard<std::mutex> lock(allowed_mutex());
    if (allowed().count(canonical)) return;
  }
  if (allowed_by_environment(canonical)) return;
  throw UserError(field, "codec plugin '" + canonical +
                             "' is not allowed: a plugin runs with your rights from the moment "
                             "it is loaded, so nocsim loads only the libraries you name; allow it "
                             "with --allow-plugin " +
                             canonical + " (Python: nocsim.allow_plugin) or NOCSIM_ALLOW_PLUGINS=" +
                             canonical + " (colon-separated paths)");
}

void load_codec_plugin(const std::string& path, const std::string& field) {
  // Before anything else, the loaded-before shortcut included: each use is checked.
  check_codec_plugin_allowed(path, field);
  const std::string canonical = canonical_plugin_path(path, field);
  static std::mutex mutex;
  static std::set<std::string> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  if (loaded.count(canonical)) return;
  // The canonical path is absolute, so dlopen opens that file rather than searching the library
  // path, and the file opened is the one that was allowed.
  void* lib = dlopen(canonical.c_str(), RTLD_NOW | RTLD_LOCAL);
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
  host.path = canonical;
  const NocsimCodecPluginTableV1 table{NOCSIM_CODEC_PLUGIN_API_VERSION, &host, &register_codec,
                                       &last_error};
  int rc = 0;
  try {
    rc = entry(&table);
  } catch (const std::exception& e) {
    throw UserError(field, "codec plugin '" + path + "' threw while registering: " + e.what());
  } catch (...) {
    throw UserError(field, "codec plugin '" + path + "' threw while registering");
  }
  if (rc != 0) {
    throw UserError(field, "codec plugin '" + path + "' failed to register (code " +
                               std::to_string(rc) + ")" +
                               (host.error.empty() ? "" : ": " + host.error));
  }
  if (host.registered.empty()) {
    throw UserError(field, "codec plugin '" + path + "' registered no codec");
  }
  loaded.insert(canonical);
}

}  // namespace nocsim::compression
