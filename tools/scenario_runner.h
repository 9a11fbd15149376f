#pragma once
// What turns one loaded scenario into one RunResult: "traffic" (the NoC alone) or "run" (the
// accelerator). The sweep runner and the subcommands share these, so a sweep point is exactly the
// run that `nocsim traffic` / `nocsim run` would do with the same overrides.
#include <functional>
#include <string>

#include "configs/progress.h"
#include "configs/registry.h"
#include "configs/schema/result.pb.h"
#include "tools/scenario_loader.h"

namespace nocsim::tools {

class ScenarioRunner {
 public:
  virtual ~ScenarioRunner() = default;
  // Runs one point. Must be safe to call from several threads at once on different scenarios.
  virtual config::RunResult run(const LoadedScenario& scenario) = 0;
  // The same run, telling `progress` how far it is (`nocsim run` draws it); a runner that cannot
  // say runs without it.
  virtual config::RunResult run_with_progress(const LoadedScenario& scenario, Progress& progress) {
    (void)progress;
    return run(scenario);
  }
};

using RunnerRegistry = Registry<ScenarioRunner>;
RunnerRegistry& runner_registry();

// The part of a RunResult every runner fills the same way: the scenario's name (load_scenario
// gives it the file's stem when it has none), seed and provenance (with the scenario as run).
inline config::RunResult result_for(const LoadedScenario& loaded) {
  config::RunResult result;
  result.set_scenario(loaded.scenario.name());
  result.set_seed(loaded.scenario.sim().seed());
  *result.mutable_provenance() = loaded.provenance;
  *result.mutable_provenance()->mutable_scenario() = loaded.scenario;
  return result;
}

}  // namespace nocsim::tools
