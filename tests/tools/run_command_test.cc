#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tools/command.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_runner.h"

#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

const char* kStudy = "configs/study/fmnist_pd_mlp.textproto";

std::string temp_dir(const std::string& name) {
  const fs::path d = nocsim::testing::fresh_temp_dir("run_" + name);
  fs::remove_all(d);  // the command creates its --out folder itself
  return d.string();
}

TEST(RunCommand, RunsTheDefaultStudyAndWritesJsonAndCsv) {
  const std::string dir = temp_dir("default");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kStudy, "--out", dir}, out, err), 0) << err.str();
  const std::string s = out.str();
  EXPECT_NE(s.find("12 PE tiles + 4 memory controllers (4x4 mesh)"), std::string::npos) << s;
  EXPECT_NE(s.find("equal the functional model's: yes"), std::string::npos) << s;
  EXPECT_NE(s.find("fc1"), std::string::npos);
  EXPECT_NE(s.find("energy"), std::string::npos);
  EXPECT_EQ(s.find("NOMINAL"), std::string::npos);
  std::ifstream json(dir + "/fmnist_pd_mlp.json");
  std::stringstream js;
  js << json.rdbuf();
  EXPECT_NE(js.str().find("\"bits_per_weight\""), std::string::npos);
  EXPECT_NE(js.str().find("\"noc_weight_pj\""), std::string::npos);
  std::ifstream csv(dir + "/fmnist_pd_mlp.csv");
  std::string header, row;
  ASSERT_TRUE(std::getline(csv, header) && std::getline(csv, row));
  EXPECT_EQ(std::count(row.begin(), row.end(), ','), std::count(header.begin(), header.end(), ','))
      << "one header line, then one row: " << row;
  std::string extra;
  EXPECT_FALSE(std::getline(csv, extra)) << "unexpected line after the row: " << extra;
  EXPECT_NE(header.find("accelerator.energy.total_pj"), std::string::npos);
  EXPECT_NE(header.find("accelerator.accuracy"), std::string::npos);
  fs::remove_all(dir);
}

TEST(RunCommand, CodecStagesCanBeSetFromTheCommandLine) {
  const std::string dir = temp_dir("int4");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kStudy, "--out", dir, "--set", "codec.stages[0].name=quant", "--set",
                     "codec.stages[0].params[bits]=4"},
                    out, err),
            0)
      << err.str();
  EXPECT_NE(out.str().find("codec quant:bits=4"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("compression 7.9"), std::string::npos) << out.str();
  fs::remove_all(dir);
}

TEST(RunCommand, CodecFlagTakesACompactSpec) {
  const std::string dir = temp_dir("spec");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kStudy, "--out", dir, "--codec", "quant:bits=8"}, out, err), 0)
      << err.str();
  EXPECT_NE(out.str().find("codec quant:bits=8"), std::string::npos) << out.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"run", kStudy, "--out", dir, "--codec", "quant:bits=99"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("--codec"), std::string::npos) << err2.str();
  fs::remove_all(dir);
}

TEST(RunCommand, CodecSpecFieldMatchesTheCodecFlag) {
  const std::string dir = temp_dir("spec_field");
  std::ostringstream by_flag, by_field, err;
  ASSERT_EQ(
      run_cli({"run", kStudy, "--out", dir, "--codec", "int4:granularity=block"}, by_flag, err), 0)
      << err.str();
  ASSERT_EQ(run_cli({"run", kStudy, "--out", dir, "--set", "codec.spec=int4:granularity=block"},
                    by_field, err),
            0)
      << err.str();
  auto without_timing = [](std::string s) { return s.substr(0, s.find("  simulated in")); };
  EXPECT_EQ(without_timing(by_flag.str()), without_timing(by_field.str()));
  std::ostringstream out, bad;
  EXPECT_EQ(run_cli({"run", kStudy, "--out", dir, "--set", "codec.spec=int4:bits=3"}, out, bad), 2);
  EXPECT_NE(bad.str().find("codec.spec"), std::string::npos) << bad.str();
  fs::remove_all(dir);
}

TEST(RunCommand, TrafficOnlyZooRunSaysSizesAreNominal) {
  const std::string dir = temp_dir("zoo");
  std::ostringstream out, err;
  ASSERT_EQ(
      run_cli({"run", kStudy, "--out", dir, "--set", "model.file=", "--set", "model.zoo=lenet5"},
              out, err),
      0)
      << err.str();
  EXPECT_NE(out.str().find("sizes are NOMINAL"), std::string::npos) << out.str();
  fs::remove_all(dir);
}

TEST(RunCommand, BadConfigNamesFileLineOrSetAndField) {
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"run", kStudy, "--set", "accelerator.mc_nodes=0,99"}, out, err), 2);
  EXPECT_NE(err.str().find("accelerator.mc_nodes[1]"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("does not exist"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"run", kStudy, "--set", "accelerator.mapping=spiral"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("round_robin"), std::string::npos) << err2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(run_cli({"run", kStudy, "--set", "model.file=models/trained/none.pb"}, out3, err3), 2);
  EXPECT_NE(err3.str().find("model.file"), std::string::npos) << err3.str();
}

TEST(RunCommand, ShippedAcceleratorStudiesLoad) {
  for (const char* f :
       {"configs/study/fmnist_pd_mlp.textproto", "configs/study/fmnist_cnn_pd.textproto",
        "configs/study/vgg16_traffic_8x8.textproto",
        "configs/study/alexnet_traffic_8x8.textproto"}) {
    const LoadedScenario s = load_scenario(f);
    EXPECT_GT(s.scenario.tech().clock_ghz(), 0) << f;
    EXPECT_NE(s.scenario.model().file().empty(), s.scenario.model().zoo().empty()) << f;
  }
}

TEST(RunRunner, IsThreadSafeAndDeterministic) {
  auto runner = runner_registry().create("run", "runner");
  std::vector<LoadedScenario> scenarios = {
      load_scenario(kStudy, {"codec.stages[0].name=quant", "codec.stages[0].params[bits]=8"}),
      load_scenario(kStudy, {"codec.stages[0].name=quant", "codec.stages[0].params[bits]=4"})};
  std::vector<config::RunResult> serial, parallel(2);
  for (const auto& s : scenarios) serial.push_back(runner->run(s));
  std::thread a([&] { parallel[0] = runner->run(scenarios[0]); });
  std::thread b([&] { parallel[1] = runner->run(scenarios[1]); });
  a.join();
  b.join();
  for (int i = 0; i < 2; ++i) {
    serial[i].mutable_accelerator()->clear_wall_seconds();
    parallel[i].mutable_accelerator()->clear_wall_seconds();
    EXPECT_EQ(serial[i].SerializeAsString(), parallel[i].SerializeAsString()) << i;
  }
  EXPECT_LT(serial[1].accelerator().cycles(), serial[0].accelerator().cycles());
}

}  // namespace
}  // namespace nocsim::tools
