#pragma once
// The command line that every scenario-driven command shares:
//   nocsim <command> <scenario.textproto> [--set path=value]... [--<option> value]...
// plus where such a command writes its results.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "configs/schema/result.pb.h"
#include "configs/schema/scenario.pb.h"
#include "tools/scenario_loader.h"

namespace nocsim::tools {

struct ScenarioArgs {
  std::string path;                            // the scenario file
  std::vector<std::string> sets;               // --set overrides, in order
  std::map<std::string, std::string> options;  // flag ("--out") -> value, for the flags given

  bool has(const std::string& flag) const { return options.count(flag) != 0; }
  std::string get(const std::string& flag) const {
    auto it = options.find(flag);
    return it == options.end() ? "" : it->second;
  }
};

// Declares the scenario positional, the repeatable --set, --allow-plugin and `value_flags` (flag,
// help) on `app`; what the command line gives lands in `parsed`.
struct ValueFlag {
  std::string flag;  // "--out"
  std::string help;
};
void add_scenario_args(CLI::App& app, ScenarioArgs& parsed, const std::vector<ValueFlag>& flags);

// Results go to --out, else the scenario's output.dir, else results/; files are named after
// output.name, else the scenario file's stem. The name stays inside that folder: one with a path
// separator, "." or "..", or a control character is a UserError naming output.name and where it
// was set.
struct OutputPlace {
  std::filesystem::path dir;
  std::string name;
  std::string file(const std::string& suffix) const { return (dir / (name + suffix)).string(); }
};
OutputPlace output_place(const LoadedScenario& loaded, const std::string& out_flag);

// Writes one run's <name>.json and <name>.csv (header + row), each atomically, and says where.
void write_run_result(const OutputPlace& place, const config::RunResult& r, std::ostream& out);

}  // namespace nocsim::tools
