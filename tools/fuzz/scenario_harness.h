#pragma once
// What the scenario fuzzer runs on each input (and tests/tools/fuzz_corpus_test.cc on each
// checked-in input): the text-format scenario parser with --set overrides, the technology preset,
// and the resolution of the sim, router and traffic sections and the memory estimate. Input: the
// scenario text, then optionally a line "%%" and one override per line.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "configs/user_error.h"
#include "noc/memory_estimate.h"
#include "noc/router_params.h"
#include "noc/sim_params.h"
#include "noc/traffic/injection_process.h"
#include "tools/fuzz/fuzz_files.h"
#include "tools/scenario_loader.h"

namespace nocsim::tools::fuzz {

inline constexpr const char* kSetsMarker = "\n%%\n";

// True when the scenario loaded and its sections resolved.
inline bool run_scenario(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t marker = input.find(kSetsMarker);
  std::vector<std::string> sets;
  if (marker != std::string::npos) {
    std::istringstream lines(input.substr(marker + 4));
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) sets.push_back(line);
  }
  const std::string path = write_scratch("scenario.textproto", input.substr(0, marker));
  try {
    const LoadedScenario loaded = load_scenario(path, sets);
    const config::Scenario& sc = loaded.scenario;
    const noc::SimParams sim = noc::SimParams::from_config(sc.sim());
    noc::RouterParams::from_config(sc.noc().router());
    // Accelerator scenarios have no traffic section; NoC ones are checked as `nocsim traffic` does.
    if (sc.has_traffic() && sc.traffic().pattern() != "trace")
      static_cast<void>(noc::InjectionProcess(sc.traffic()));
    noc::check_run_memory(sc.noc(), sim);
    return true;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace nocsim::tools::fuzz
