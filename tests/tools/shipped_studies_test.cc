// Every scenario and sweep file shipped in configs/study/ loads, and every point of every sweep
// resolves (load_sweep checks each point's overrides), so a renamed field or a mistyped value in a
// shipped study fails here rather than in a user's first run.
#include <gtest/gtest.h>

#include <filesystem>

#include "configs/input_file.h"
#include "tools/scenario_loader.h"
#include "tools/sweep.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

TEST(ShippedStudies, EveryScenarioAndEverySweepPointLoads) {
  const fs::path dir = fs::path(NOCSIM_SOURCE_DIR) / "configs" / "study";
  int scenarios = 0, sweeps = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".textproto") continue;
    const std::string path = entry.path().string();
    SCOPED_TRACE(path);
    // A sweep names its base scenario on a line of its own; a scenario file has no `base`.
    const std::string t = "\n" + read_input_file(path, "configs/study", "study file", 1 << 20);
    if (t.find("\nbase:") != std::string::npos) {
      const LoadedSweep s = load_sweep(path);
      EXPECT_GT(s.count, 0u);
      ++sweeps;
    } else {
      EXPECT_NO_THROW(load_scenario(path));
      ++scenarios;
    }
  }
  EXPECT_GT(scenarios, 3);
  EXPECT_GT(sweeps, 3);
}

}  // namespace
}  // namespace nocsim::tools
