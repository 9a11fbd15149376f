// The "traffic" runner: one synthetic-traffic run of the NoC alone, as `nocsim traffic` does it.
#include <chrono>

#include "noc/simulation.h"
#include "tools/scenario_runner.h"

namespace nocsim::tools {
namespace {

class TrafficRunner : public ScenarioRunner {
 public:
  config::RunResult run(const LoadedScenario& loaded) override {
    const config::Scenario& sc = loaded.scenario;
    const auto start = std::chrono::steady_clock::now();
    config::RunResult result;
    result.set_scenario(sc.name());
    result.set_seed(sc.sim().seed());
    *result.mutable_noc() = noc::run_traffic(sc.noc(), sc.traffic(), sc.sim(), sc.tech());
    result.mutable_noc()->set_wall_seconds(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return result;
  }
};

NOCSIM_REGISTER(runner_registry(), TrafficRunner, "traffic", "synthetic traffic on the NoC alone");

}  // namespace
}  // namespace nocsim::tools
