#include "tools/scenario_loader.h"

#include "tests/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace nocsim::tools {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = nocsim::testing::fresh_temp_dir("loader") / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(ScenarioLoader, ReadsFieldsAndRemembersTheirLines) {
  auto path = write_temp("ok.textproto",
                         "name: \"t\"\n"
                         "noc {\n"
                         "  topology { kind: \"mesh\" k_x: 4 }\n"
                         "  router {\n"
                         "    num_vcs: 4\n"
                         "  }\n"
                         "}\n");
  auto loaded = load_scenario(path);
  EXPECT_EQ(loaded.scenario.noc().router().num_vcs(), 4u);
  EXPECT_EQ(loaded.scenario.noc().topology().k_x(), 4u);
  EXPECT_EQ(loaded.lines.at("noc.router.num_vcs"), 5);
  EXPECT_EQ(loaded.where("noc.router.num_vcs"), path + ":5: noc.router.num_vcs");
  EXPECT_EQ(loaded.where("noc.router.vc_buf_size"),
            path + ":4: noc.router.vc_buf_size (not set; default)");
}

TEST(ScenarioLoader, UnknownFieldIsAnErrorWithFileAndLine) {
  auto path = write_temp("bad.textproto", "noc {\n  router { num_vc: 2 }\n}\n");
  try {
    load_scenario(path);
    FAIL() << "expected an error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("num_vc"), std::string::npos) << e.what();
  }
}

TEST(ScenarioLoader, MissingFileIsAnError) {
  EXPECT_THROW(load_scenario("/nonexistent/x.textproto"), UserError);
}

TEST(ScenarioOverride, SetsNestedScalarsStringsAndLists) {
  config::Scenario sc;
  apply_override(sc, "noc.router.num_vcs=3");
  apply_override(sc, "traffic.pattern=transpose");
  apply_override(sc, "traffic.injection_rate=0.25");
  apply_override(sc, "traffic.hotspot.nodes=1,5,9");
  apply_override(sc, "codec.stages[0].name=kmeans");
  apply_override(sc, "codec.stages[0].params[bits]=4");
  apply_override(sc, "codec.stages[1]={name: \"huffman\"}");
  EXPECT_EQ(sc.noc().router().num_vcs(), 3u);
  EXPECT_EQ(sc.traffic().pattern(), "transpose");
  EXPECT_DOUBLE_EQ(sc.traffic().injection_rate(), 0.25);
  ASSERT_EQ(sc.traffic().hotspot().nodes_size(), 3);
  EXPECT_EQ(sc.traffic().hotspot().nodes(2), 9u);
  ASSERT_EQ(sc.codec().stages_size(), 2);
  EXPECT_EQ(sc.codec().stages(0).params().at("bits"), "4");
  EXPECT_EQ(sc.codec().stages(1).name(), "huffman");
}

TEST(ScenarioOverride, BadPathsAndValuesAreErrorsNamingThePath) {
  config::Scenario sc;
  EXPECT_THROW(apply_override(sc, "noc.routerx.num_vcs=3"), UserError);
  EXPECT_THROW(apply_override(sc, "noc.router.num_vcs=abc"), UserError);
  EXPECT_THROW(apply_override(sc, "noc.router.num_vcs"), UserError);
  EXPECT_THROW(apply_override(sc, "codec.stages[5].name=x"), UserError);
  try {
    apply_override(sc, "noc.router.num_vcs=-1");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("noc.router.num_vcs"), std::string::npos);
  }
}

TEST(ScenarioLoader, OverrideIsReportedAsSet) {
  auto path = write_temp("set.textproto", "noc { router { num_vcs: 4 } }\n");
  auto loaded = load_scenario(path, {"noc.router.num_vcs=0"});
  EXPECT_EQ(loaded.scenario.noc().router().num_vcs(), 0u);
  UserError located = loaded.locate(UserError("noc.router.num_vcs", "must be at least 1"));
  EXPECT_EQ(std::string(located.what()), "--set noc.router.num_vcs: must be at least 1");
}

}  // namespace
}  // namespace nocsim::tools
