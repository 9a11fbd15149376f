// Every scenario and sweep file shipped in configs/study/ and configs/traffic/ loads, and every
// point of every sweep resolves (load_sweep checks each point's overrides), so a renamed field or a
// mistyped value in a shipped file fails here rather than in a user's first run.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "configs/input_file.h"
#include "tools/scenario_loader.h"
#include "tools/sweep.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

// Counts the scenario and sweep files of configs/<folder> that load.
void load_every_file(const std::string& folder, int& scenarios, int& sweeps) {
  const fs::path dir = fs::path(NOCSIM_SOURCE_DIR) / "configs" / folder;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".textproto") continue;
    const std::string path = entry.path().string();
    SCOPED_TRACE(path);
    // A sweep names its base scenario on a line of its own; a scenario file has no `base`.
    const std::string t = "\n" + read_input_file(path, "configs/" + folder, "study file", 1 << 20);
    if (t.find("\nbase:") != std::string::npos) {
      const LoadedSweep s = load_sweep(path);
      EXPECT_GT(s.count, 0u);
      ++sweeps;
    } else {
      EXPECT_NO_THROW(load_scenario(path));
      ++scenarios;
    }
  }
}

TEST(ShippedStudies, EveryScenarioAndEverySweepPointLoads) {
  int scenarios = 0, sweeps = 0;
  load_every_file("study", scenarios, sweeps);
  EXPECT_GT(scenarios, 3);
  EXPECT_GT(sweeps, 3);
}

TEST(ShippedStudies, EveryTrafficScenarioLoads) {
  int scenarios = 0, sweeps = 0;
  load_every_file("traffic", scenarios, sweeps);
  EXPECT_GT(scenarios, 5);
  EXPECT_EQ(sweeps, 0);
}

}  // namespace
}  // namespace nocsim::tools
