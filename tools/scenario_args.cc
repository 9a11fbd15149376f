#include "tools/scenario_args.h"

#include <algorithm>
#include <ostream>

#include "configs/user_error.h"
#include "tools/result_files.h"

namespace nocsim::tools {

ScenarioArgs parse_scenario_args(const std::vector<std::string>& args,
                                 const std::vector<std::string>& value_flags,
                                 const std::string& usage) {
  ScenarioArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&] {
      if (i + 1 >= args.size()) throw UserError(a + " needs a value\n" + usage);
      return args[++i];
    };
    if (a == "--set") {
      parsed.sets.push_back(value());
    } else if (a.rfind("--set=", 0) == 0) {
      parsed.sets.push_back(a.substr(6));
    } else if (std::find(value_flags.begin(), value_flags.end(), a) != value_flags.end()) {
      parsed.options[a] = value();
    } else if (!a.empty() && a[0] == '-') {
      throw UserError("unknown option '" + a + "'\n" + usage);
    } else if (parsed.path.empty()) {
      parsed.path = a;
    } else {
      throw UserError("only one scenario file expected, got '" + a + "'\n" + usage);
    }
  }
  if (parsed.path.empty()) throw UserError("missing scenario file\n" + usage);
  return parsed;
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
