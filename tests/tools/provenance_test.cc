// Every result says where it came from (resolved scenario, input files with SHA-256, version), and
// a scenario in a second copy of the tree uses that copy's files, or warns when it cannot.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/version.h"
#include "tests/file_text.h"
#include "tests/temp_dir.h"
#include "tools/content_hash.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_runner.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = NOCSIM_SOURCE_DIR;

using nocsim::testing::slurp;

// Unsets NOCSIM_HOME for a test (the compiled-in tree is then the last resort) and restores it.
class NoHome {
 public:
  NoHome() {
    if (const char* h = std::getenv("NOCSIM_HOME")) saved_ = h, had_ = true;
    ::unsetenv("NOCSIM_HOME");
  }
  ~NoHome() {
    if (had_) ::setenv("NOCSIM_HOME", saved_.c_str(), 1);
  }

 private:
  std::string saved_;
  bool had_ = false;
};

// A second copy of the parts of the tree the default study reads, with DRAM energy doubled.
fs::path copy_tree_with_double_dram(const fs::path& root) {
  fs::create_directories(root / "configs" / "study");
  fs::create_directories(root / "configs" / "tech");
  fs::create_directories(root / "models" / "trained");
  fs::copy_file(kSource / "configs/study/fmnist_pd_mlp.textproto",
                root / "configs/study/fmnist_pd_mlp.textproto");
  fs::copy_file(kSource / "models/trained/pd_mlp_p4.pb", root / "models/trained/pd_mlp_p4.pb");
  std::string tech = slurp(kSource / "configs/tech/45nm.textproto");
  const std::string key = "dram_pj_per_bit: 20.0";
  const auto at = tech.find(key);
  EXPECT_NE(at, std::string::npos) << "the 45 nm preset's DRAM line changed; update this test";
  tech.replace(at, key.size(), "dram_pj_per_bit: 40.0");
  std::ofstream(root / "configs/tech/45nm.textproto") << tech;
  return root / "configs/study/fmnist_pd_mlp.textproto";
}

TEST(Sha256, MatchesTheStandardTestVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const fs::path f = nocsim::testing::fresh_temp_dir("sha") / "million_a";
  std::ofstream(f) << std::string(1000000, 'a');
  EXPECT_EQ(file_sha256(f.string()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Provenance, ResultHoldsTheResolvedScenarioInputsAndVersion) {
  const std::string study = (kSource / "configs/study/fmnist_pd_mlp.textproto").string();
  const LoadedScenario loaded = load_scenario(study, {"noc.router.num_vcs=4"});
  const config::RunResult r = runner_registry().create("run", "runner")->run(loaded);
  const config::Provenance& p = r.provenance();
  EXPECT_EQ(p.version(), nocsim_version());
  EXPECT_FALSE(p.version().empty());
  ASSERT_EQ(p.set_size(), 1);
  EXPECT_EQ(p.set(0), "noc.router.num_vcs=4");
  EXPECT_EQ(p.scenario().noc().router().num_vcs(), 4u);
  EXPECT_DOUBLE_EQ(p.scenario().tech().dram_pj_per_bit(), 20.0);  // the preset's values
  std::map<std::string, std::string> roles;
  for (const auto& in : p.inputs()) {
    roles[in.role()] = in.path();
    EXPECT_EQ(in.sha256(), sha256_hex(slurp(in.path()))) << in.path();
    EXPECT_FALSE(in.source_tree_fallback()) << in.path();
  }
  EXPECT_EQ(roles.at("scenario"), study);
  EXPECT_EQ(fs::path(roles.at("tech_preset")).filename(), "45nm.textproto");
  EXPECT_EQ(fs::path(roles.at("model.file")).filename(), "pd_mlp_p4.pb");
  EXPECT_EQ(roles.count("dataset"), 1u);
}

TEST(Provenance, ATechValueChangedInASecondTreeChangesTheResult) {
  NoHome no_home;
  const fs::path root = nocsim::testing::fresh_temp_dir("tree");
  const std::string copy = copy_tree_with_double_dram(root).string();
  const std::string original = (kSource / "configs/study/fmnist_pd_mlp.textproto").string();
  auto run = [](const std::string& path) {
    return runner_registry().create("run", "runner")->run(load_scenario(path));
  };
  ::testing::internal::CaptureStderr();
  const config::RunResult a = run(original), b = run(copy);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(warnings, "") << "both trees hold every file the study names";
  EXPECT_NEAR(b.accelerator().energy().dram_pj(), 2 * a.accelerator().energy().dram_pj(),
              1e-9 * a.accelerator().energy().dram_pj());
  EXPECT_EQ(a.accelerator().cycles(), b.accelerator().cycles());
  for (const auto& in : b.provenance().inputs()) {
    if (in.role() == "dataset") continue;
    EXPECT_EQ(in.path().rfind(root.string(), 0), 0u) << in.role() << " read from " << in.path();
  }
}

// Runs a test from another working directory and comes back.
class InFolder {
 public:
  explicit InFolder(const fs::path& dir) : saved_(fs::current_path()) { fs::current_path(dir); }
  ~InFolder() { fs::current_path(saved_); }

 private:
  fs::path saved_;
};

TEST(Provenance, AFileFoundOnlyInTheSourceTreeWarnsNamingIt) {
  NoHome no_home;
  // A scenario outside any tree, run from its folder: its preset and model exist only in the
  // compiled-in source tree.
  const fs::path dir = nocsim::testing::fresh_temp_dir("lonely");
  InFolder in_folder(dir);
  const fs::path scenario = dir / "alone.textproto";
  std::ofstream(scenario) << slurp(kSource / "configs/study/fmnist_pd_mlp.textproto");
  ::testing::internal::CaptureStderr();
  const LoadedScenario loaded = load_scenario(scenario.string());
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  int fallbacks = 0;
  for (const auto& in : loaded.provenance.inputs()) {
    if (!in.source_tree_fallback()) continue;
    ++fallbacks;
    EXPECT_NE(warnings.find("warning: " + scenario.string() + ": " + in.role() + " '" + in.path() +
                            "' was found only in the source tree"),
              std::string::npos)
        << warnings;
  }
  EXPECT_EQ(fallbacks, 2);  // tech_preset and model.file
  EXPECT_NE(warnings.find("NOCSIM_HOME"), std::string::npos);

  // With NOCSIM_HOME naming a tree, that tree is used, on purpose: no warning.
  const fs::path root = nocsim::testing::fresh_temp_dir("home");
  copy_tree_with_double_dram(root);
  ::setenv("NOCSIM_HOME", root.c_str(), 1);
  ::testing::internal::CaptureStderr();
  const LoadedScenario homed = load_scenario(scenario.string());
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_DOUBLE_EQ(homed.scenario.tech().dram_pj_per_bit(), 40.0);
  for (const auto& in : homed.provenance.inputs()) EXPECT_FALSE(in.source_tree_fallback());
  ::unsetenv("NOCSIM_HOME");
}

}  // namespace
}  // namespace nocsim::tools
