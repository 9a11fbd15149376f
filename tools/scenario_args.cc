#include "tools/scenario_args.h"

#include <algorithm>
#include <ostream>

#include "configs/user_error.h"
#include "tools/command.h"
#include "tools/result_files.h"

namespace nocsim::tools {

void add_scenario_args(CLI::App& app, ScenarioArgs& parsed, const std::vector<ValueFlag>& flags) {
  app.add_option("scenario", parsed.path, "the scenario file (protobuf text format)")->required();
  app.add_option("--set", parsed.sets, "override a field: path.to.field=value (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  for (const auto& f : flags)
    app.add_option_function<std::string>(
        f.flag, [&parsed, flag = f.flag](const std::string& v) { parsed.options[flag] = v; },
        f.help);
  add_allow_plugin_option(app);
}

OutputPlace output_place(const LoadedScenario& loaded, const std::string& out_flag) {
  const config::Scenario& sc = loaded.scenario;
  const std::string& scenario_path = loaded.path;
  const std::string& name = sc.output().name();
  const bool escapes = name.find_first_of("/\\") != std::string::npos || name == "." ||
                       name == ".." || std::filesystem::path(name).is_absolute() ||
                       std::any_of(name.begin(), name.end(), [](char c) {
                         return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                       });
  if (escapes)
    throw loaded.locate(UserError("output.name", "'" + name +
                                                     "' must be a plain file name (no path "
                                                     "separator, '..' or control character); "
                                                     "use output.dir or --out for the folder"));
  OutputPlace place;
  place.dir = !out_flag.empty()            ? out_flag
              : !sc.output().dir().empty() ? sc.output().dir()
                                           : "results";
  place.name = sc.output().name().empty() ? std::filesystem::path(scenario_path).stem().string()
                                          : sc.output().name();
  return place;
}

void write_run_result(const OutputPlace& place, const config::RunResult& r, std::ostream& out) {
  write_file_atomic(place.file(".json"), to_json(r));
  write_file_atomic(place.file(".csv"), csv_header(r) + csv_row(r));
  out << "wrote " << place.file(".json") << " and " << place.file(".csv") << "\n";
}

}  // namespace nocsim::tools
