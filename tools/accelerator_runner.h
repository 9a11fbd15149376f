#pragma once
// The accelerator run behind the "run" scenario runner, for callers that want more than the
// RunResult (`nocsim run --trace-out`): the same run, optionally recording every packet injected.
#include "configs/progress.h"
#include "configs/schema/result.pb.h"
#include "tools/scenario_loader.h"

namespace nocsim::noc {
class TraceRecorder;
}

namespace nocsim::tools {

// Thread-safe like the runner (models and data sets are cached, shared read-only). `trace`, when
// set, receives every packet; `progress`, when set, hears the run's progress.
config::RunResult run_accelerator_scenario(const LoadedScenario& loaded,
                                           noc::TraceRecorder* trace = nullptr,
                                           Progress* progress = nullptr);

}  // namespace nocsim::tools
