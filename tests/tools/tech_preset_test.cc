// Technology presets: every shipped one is complete and in range; an empty or partial preset names
// the missing figures; negative, NaN and infinite figures are refused where they were set.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/temp_dir.h"
#include "tools/scenario_loader.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

struct Files {
  fs::path dir = nocsim::testing::fresh_temp_dir("tech_preset");
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

std::string load_error(const std::string& scenario, const std::vector<std::string>& sets = {}) {
  try {
    load_scenario(scenario, sets);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(TechPreset, EveryShippedPresetIsCompleteAndInRange) {
  const Files f;
  int presets = 0;
  for (const auto& e : fs::directory_iterator(fs::path(NOCSIM_SOURCE_DIR) / "configs/tech")) {
    if (e.path().extension() != ".textproto") continue;
    const std::string sc = f.write("s.textproto", "tech_preset: \"" + e.path().string() + "\"\n");
    EXPECT_EQ(load_error(sc), "") << e.path();
    ++presets;
  }
  EXPECT_GE(presets, 2);
}

TEST(TechPreset, EmptyPresetNamesTheMissingFigures) {
  // An empty preset used to give all-zero energies and exit 0.
  const Files f;
  const std::string preset = f.write("empty.textproto", "");
  const std::string err = load_error(f.write("s.textproto", "tech_preset: \"" + preset + "\"\n"));
  EXPECT_NE(err.find("does not define"), std::string::npos) << err;
  for (const char* figure :
       {"clock_ghz", "fp32_mult_pj", "int8_add_pj", "dram_pj_per_bit", "link_pj_per_bit_mm"})
    EXPECT_NE(err.find(figure), std::string::npos) << err;
  EXPECT_EQ(err.find("decoder_energy_scale"), std::string::npos) << err;  // has a default
}

TEST(TechPreset, NegativeNanAndInfiniteFiguresAreRefusedWhereTheyWereSet) {
  const Files f;
  std::string text;
  std::ifstream in(fs::path(NOCSIM_SOURCE_DIR) / "configs/tech/45nm.textproto");
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const auto at = text.find("int8_mult_pj: 0.2");
  ASSERT_NE(at, std::string::npos);
  const std::string bad_preset =
      f.write("neg.textproto", text.replace(at, 17, "int8_mult_pj: -0.2"));
  std::string err = load_error(f.write("s1.textproto", "tech_preset: \"" + bad_preset + "\"\n"));
  EXPECT_NE(err.find(bad_preset + ": tech.int8_mult_pj"), std::string::npos) << err;

  const std::string sc =
      f.write("s2.textproto", "tech_preset: \"45nm\"\ntech { dram_pj_per_bit: nan }\n");
  err = load_error(sc);
  EXPECT_NE(err.find(sc + ":2: tech.dram_pj_per_bit"), std::string::npos) << err;

  const std::string plain = f.write("s3.textproto", "tech_preset: \"45nm\"\n");
  err = load_error(plain, {"tech.link_pj_per_bit_mm=inf"});
  EXPECT_NE(err.find("--set tech.link_pj_per_bit_mm"), std::string::npos) << err;
  err = load_error(plain, {"tech.clock_ghz=0"});
  EXPECT_NE(err.find("tech.clock_ghz"), std::string::npos) << err;
}

TEST(TextConfigFile, FolderAndOverlongPathAreClearErrors) {
  const Files f;
  std::string err = load_error(f.dir.string());
  EXPECT_NE(err.find("is a folder"), std::string::npos) << err;
  err = load_error((f.dir / (std::string(300, 's') + ".textproto")).string());
  EXPECT_NE(err.find("too long"), std::string::npos) << err;
  // A model file named by a path the file system refuses: the model reader says why.
  const std::string sc =
      f.write("m.textproto", "model { file: \"" + std::string(300, 'x') + ".pb\" }\n");
  err = load_error(sc);
  EXPECT_NE(err.find("model.file"), std::string::npos) << err;
}

}  // namespace
}  // namespace nocsim::tools
