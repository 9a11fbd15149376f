#pragma once
// Reads a scenario (protobuf text format), applies `--set path=value` overrides and resolves the
// technology preset. Remembers where each field came from, so that an error raised later by any
// component about "noc.router.num_vcs" can be reported as "file.textproto:12: noc.router.num_vcs:
// ...".
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "configs/schema/result.pb.h"
#include "configs/schema/scenario.pb.h"
#include "configs/user_error.h"

namespace nocsim::tools {

struct LoadedScenario {
  config::Scenario scenario;
  std::string path;                        // the scenario file
  std::map<std::string, int> lines;        // dotted field path -> 1-based line in `path`
  std::map<std::string, std::string> set;  // dotted field path -> value given with --set
  // Version, overrides in order and every input file read (result_for adds the scenario as run).
  config::Provenance provenance;

  // "file:line: field" / "--set field" / "file: field (default)" for error messages.
  std::string where(const std::string& field) const;
  // Rewrites a UserError about a field into one that says where the field came from.
  UserError locate(const UserError& e) const;
};

// Parses `path`; errors (unreadable file, syntax, unknown field) name the file and line.
LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& sets = {});

// Parses any text-format message from a file (technology presets, sweep files).
void parse_text_file(const std::string& path, google::protobuf::Message& msg,
                     std::map<std::string, int>* lines = nullptr);

// Applies one "a.b[2].c=value" override to `msg`; `[key]` indexes map fields, `[i]` repeated
// messages (i == size appends). Repeated scalars take a comma-separated list. Message-typed leaves
// take a text-format body. Throws UserError naming the path.
void apply_override(google::protobuf::Message& msg, const std::string& assignment);

// Resolves `tech_preset` (a name under configs/tech/ of the scenario's tree or of the source tree,
// or a path) and merges inline `tech` over it; records the preset file in the provenance.
void resolve_tech(LoadedScenario& loaded);

// fs::exists without the exception that a path the file system refuses (too long) would throw:
// such a path exists nowhere, and the reader reports why when it is the one given.
bool path_exists(const std::filesystem::path& p);

// Directory of the nocsim source tree (for configs/tech, shipped models): $NOCSIM_HOME, else the
// compiled-in source directory.
std::string source_dir();

// A file a scenario names by a relative path (model.file, traffic.trace_file) is looked up next
// to the scenario file and then in each folder above it (the tree the scenario belongs to), then
// in the working directory, then in source_dir(); "" if none has it. `fallback` (if given) is set
// when only the compiled-in source tree has it (NOCSIM_HOME unset): the caller warns.
std::string find_scenario_file(const std::string& file, const std::string& scenario_path,
                               bool* fallback = nullptr);

// Adds `path` (with its SHA-256) to the provenance under `role`; a file found only through the
// compiled-in source tree also prints a warning naming it, once per process.
void record_input(LoadedScenario& loaded, const std::string& role, const std::string& path,
                  bool fallback = false);

}  // namespace nocsim::tools
