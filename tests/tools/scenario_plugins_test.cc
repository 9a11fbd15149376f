#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compression/plugin_loader.h"
#include "tools/command.h"
#include "tools/content_hash.h"
#include "tools/scenario_loader.h"

#include "tests/file_text.h"
#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

std::string lib(const std::string& name) {
  return std::string(NOCSIM_BINARY_DIR) + "/compression/examples/lib" + name + ".so";
}

using nocsim::testing::slurp;

const char* kPluginStudy = "configs/study/fmnist_pd_mlp.textproto";

// The line after the default study's last one: where a codec block appended to it starts.
int appended_line() {
  const std::string s = slurp(kPluginStudy);
  return static_cast<int>(std::count(s.begin(), s.end(), '\n')) + 1;
}

// The default study in a folder of its own, with a codec block naming `plugin` appended.
fs::path scenario_with_plugin(const fs::path& dir, const std::string& plugin,
                              const std::string& stage = "example_binary") {
  const fs::path path = dir / "study.textproto";
  std::ofstream(path) << slurp(kPluginStudy) << "codec {\n  plugins: \"" << plugin
                      << "\"\n  stages { name: \"" << stage << "\" }\n}\n";
  return path;
}

class ScenarioPlugins : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("NOCSIM_ALLOW_PLUGINS");
    compression::clear_allowed_codec_plugins();
    dir_ = nocsim::testing::fresh_temp_dir("scenario_plugins");
    fs::create_directories(dir_ / "plugins");
    // Reached only through the scenario's folder; a link, so that a test run of the whole binary
    // in one process loads the example library once.
    fs::create_symlink(lib("nocsim_example_codec"), dir_ / "plugins" / "libmine.so");
  }
  void TearDown() override { unsetenv("NOCSIM_ALLOW_PLUGINS"); }
  fs::path dir_;
};

TEST_F(ScenarioPlugins, ANamedPluginWithoutPermissionIsAnErrorSayingHowToAllowIt) {
  const fs::path sc = scenario_with_plugin(dir_, "plugins/libmine.so");
  const std::string canonical = fs::canonical(dir_ / "plugins" / "libmine.so").string();
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"run", sc.string(), "--out", (dir_ / "out").string()}, out, err), 2);
  const std::string e = err.str();
  // File, line and field; the library; the flag and the environment variable.
  EXPECT_NE(e.find(sc.string() + ":" + std::to_string(appended_line() + 1) +
                   ": codec.plugins[0]: codec plugin '" + canonical + "' is not allowed"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("--allow-plugin " + canonical), std::string::npos) << e;
  EXPECT_NE(e.find("NOCSIM_ALLOW_PLUGINS"), std::string::npos) << e;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  // The same refusal from every command that loads scenarios, before any run.
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"traffic", sc.string()}, out2, err2), 2);
  EXPECT_NE(err2.str().find("is not allowed"), std::string::npos) << err2.str();
}

TEST_F(ScenarioPlugins, ARefusedPluginsConstructorNeverRuns) {
  const fs::path marker = dir_ / "constructor_ran";
  ASSERT_EQ(setenv("NOCSIM_TEST_PLUGIN_MARKER", marker.c_str(), 1), 0);
  const fs::path sc = scenario_with_plugin(dir_, lib("nocsim_constructor_marker_plugin"));
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"run", sc.string(), "--out", (dir_ / "out").string()}, out, err), 2);
  EXPECT_NE(err.str().find("is not allowed"), std::string::npos) << err.str();
  EXPECT_FALSE(fs::exists(marker));
  // Allowed, it is opened (and refused for what it is), so the check above can fail.
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"run", sc.string(), "--out", (dir_ / "out").string(), "--allow-plugin",
                     lib("nocsim_constructor_marker_plugin")},
                    out2, err2),
            2);
  EXPECT_NE(err2.str().find("is not a nocsim codec plugin"), std::string::npos) << err2.str();
  EXPECT_TRUE(fs::exists(marker));
}

TEST_F(ScenarioPlugins, RelativePathsResolveAgainstTheScenariosFolderNotTheWorkingDirectory) {
  const fs::path sc = scenario_with_plugin(dir_, "plugins/libmine.so");
  ASSERT_FALSE(fs::exists("plugins/libmine.so"));  // tests run in the source tree
  compression::allow_codec_plugin((dir_ / "plugins" / "libmine.so").string());
  const LoadedScenario loaded = load_scenario(sc.string());
  const std::string canonical = fs::canonical(dir_ / "plugins" / "libmine.so").string();
  EXPECT_EQ(loaded.scenario.codec().plugins(0), canonical);
  // A --set value is a command-line path: relative to the working directory.
  try {
    load_scenario(sc.string(), {"codec.plugins=plugins/libmine.so"});
    FAIL() << "found the library next to the scenario for a --set path";
  } catch (const UserError& e) {
    EXPECT_NE(
        std::string(e.what()).find("--set codec.plugins[0]: codec plugin 'plugins/libmine.so' "
                                   "does not exist"),
        std::string::npos)
        << e.what();
  }
}

TEST_F(ScenarioPlugins, TheEnvironmentAllowsAndSpecsAndLayerRulesAreCheckedToo) {
  const std::string canonical = fs::canonical(dir_ / "plugins" / "libmine.so").string();
  const fs::path sc = dir_ / "spec.textproto";
  std::ofstream(sc) << slurp(kPluginStudy)
                    << "codec {\n  spec: \"int8\"\n  layer { match: \"fc1\" spec: "
                       "\"@plugins/libmine.so+example_binary\" }\n}\n";
  try {
    load_scenario(sc.string());
    FAIL() << "a layer rule's plugin loaded without permission";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(":" + std::to_string(appended_line() + 2) +
                                         ": codec.layer[0].spec: codec plugin '" + canonical +
                                         "' is not allowed"),
              std::string::npos)
        << e.what();
  }
  const std::string list = "/elsewhere/libother.so:" + (dir_ / "plugins" / "libmine.so").string();
  ASSERT_EQ(setenv("NOCSIM_ALLOW_PLUGINS", list.c_str(), 1), 0);
  const LoadedScenario loaded = load_scenario(sc.string());
  EXPECT_EQ(loaded.scenario.codec().layer(0).spec(), "@" + canonical + "+example_binary");
}

TEST_F(ScenarioPlugins, EveryLoadedPluginIsInTheProvenanceWithItsHash) {
  const fs::path sc = scenario_with_plugin(dir_, "plugins/libmine.so");
  const std::string canonical = fs::canonical(dir_ / "plugins" / "libmine.so").string();
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", sc.string(), "--out", (dir_ / "out").string(), "--allow-plugin",
                     (dir_ / "plugins" / "libmine.so").string()},
                    out, err),
            0)
      << err.str();
  const std::string json = slurp(dir_ / "out" / "study.json");
  EXPECT_NE(json.find("\"role\": \"codec.plugin\",\n        \"path\": \"" + canonical +
                      "\",\n        \"sha256\": \"" + file_sha256(canonical) + "\""),
            std::string::npos)
      << json.substr(json.find("\"inputs\""));
  // --codec replaces the codec, plugins included: a plugin given there is recorded instead.
  std::ostringstream out2, err2;
  ASSERT_EQ(run_cli({"run", sc.string(), "--out", (dir_ / "out2").string(), "--allow-plugin",
                     (dir_ / "plugins" / "libmine.so").string(), "--codec", "int8"},
                    out2, err2),
            0)
      << err2.str();
  EXPECT_EQ(slurp(dir_ / "out2" / "study.json").find("codec.plugin"), std::string::npos);
}

}  // namespace
}  // namespace nocsim::tools
