#pragma once
// The codec plugins a scenario names (codec.plugins, "@lib.so+" in codec.spec and in each
// codec.layer[].spec), settled before anything loads them: a relative path is taken from the
// folder of the scenario file that names it (from the working directory when --set or a flag gives
// it, as any command-line path), a library the user did not allow (--allow-plugin,
// NOCSIM_ALLOW_PLUGINS; compression/plugin_loader.h) is an error naming the file, field and
// library, each path is rewritten to its canonical form, and each library is recorded in the
// provenance (role "codec.plugin", with its SHA-256).
#include <string>

#include "tools/scenario_loader.h"

namespace nocsim::tools {

// `flag` ("--codec") when the scenario's codec was just replaced by that flag's spec. Records of an
// earlier call are replaced, so the provenance lists the plugins of the codec as it is now.
void resolve_codec_plugins(LoadedScenario& loaded, const std::string& flag = "");

}  // namespace nocsim::tools
