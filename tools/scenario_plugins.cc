#include "tools/scenario_plugins.h"

#include <filesystem>

#include "compression/codec_spec.h"
#include "compression/plugin_loader.h"

namespace nocsim::tools {

namespace {

constexpr const char* kRole = "codec.plugin";

// Whether `field` (or the message or list holding it) was given by --set.
bool given_by_set(const LoadedScenario& loaded, const std::string& field) {
  for (const auto& [path, value] : loaded.set)
    if (field == path || field.rfind(path + ".", 0) == 0 || field.rfind(path + "[", 0) == 0)
      return true;
  return false;
}

}  // namespace

void resolve_codec_plugins(LoadedScenario& loaded, const std::string& flag) {
  namespace fs = std::filesystem;
  auto* inputs = loaded.provenance.mutable_inputs();
  for (int i = inputs->size(); i-- > 0;)
    if (inputs->Get(i).role() == kRole) inputs->DeleteSubrange(i, 1);

  auto settle = [&](const std::string& path, const std::string& field) {
    const bool command_line = !flag.empty() || given_by_set(loaded, field);
    const std::string where = !flag.empty()  ? flag
                              : command_line ? "--set " + field
                                             : loaded.where(field);
    fs::path file(path);
    if (file.is_relative() && !command_line) file = fs::path(loaded.path).parent_path() / file;
    std::string canonical;
    try {
      compression::check_codec_plugin_allowed(file.string(), field);
      canonical = compression::canonical_plugin_path(file.string(), field);
    } catch (const UserError& e) {
      throw UserError(where + ": " + e.reason());
    }
    bool recorded = false;
    for (const auto& in : loaded.provenance.inputs())
      recorded = recorded || (in.role() == kRole && in.path() == canonical);
    if (!recorded) record_input(loaded, kRole, canonical);
    return canonical;
  };

  config::CodecConfig& codec = *loaded.scenario.mutable_codec();
  for (int i = 0; i < codec.plugins_size(); ++i)
    codec.set_plugins(i, settle(codec.plugins(i), "codec.plugins[" + std::to_string(i) + "]"));
  auto rewrite = [&](std::string* spec, const std::string& field) {
    if (spec->find('@') == std::string::npos) return;
    try {
      *spec = compression::rewrite_spec_plugins(
          *spec, [&](const std::string& p) { return settle(p, field); }, field);
    } catch (const UserError& e) {
      throw loaded.locate(e);
    }
  };
  rewrite(codec.mutable_spec(), "codec.spec");
  for (int i = 0; i < codec.layer_size(); ++i)
    rewrite(codec.mutable_layer(i)->mutable_spec(), "codec.layer[" + std::to_string(i) + "].spec");
}

}  // namespace nocsim::tools
