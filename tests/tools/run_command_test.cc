#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "configs/schema/result.pb.h"
#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_runner.h"

#include "tests/file_text.h"
#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;
using nocsim::testing::slurp;

const char* kPdMlpStudy = "configs/study/fmnist_pd_mlp.textproto";

std::string temp_dir(const std::string& name) {
  const fs::path d = nocsim::testing::fresh_temp_dir("run_" + name);
  fs::remove_all(d);  // the command creates its --out folder itself
  return d.string();
}

TEST(RunCommand, RunsTheDefaultStudyAndWritesJsonAndCsv) {
  const std::string dir = temp_dir("default");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir}, out, err), 0) << err.str();
  const std::string s = out.str();
  EXPECT_NE(s.find("12 PE tiles + 4 memory controllers (4x4 mesh)"), std::string::npos) << s;
  EXPECT_NE(s.find("equal the functional model's: yes"), std::string::npos) << s;
  EXPECT_NE(s.find("fc1"), std::string::npos);
  EXPECT_NE(s.find("energy"), std::string::npos);
  EXPECT_EQ(s.find("NOMINAL"), std::string::npos);
  const std::string js = slurp(dir + "/fmnist_pd_mlp.json");
  EXPECT_NE(js.find("\"bits_per_weight\""), std::string::npos);
  EXPECT_NE(js.find("\"noc_weight_pj\""), std::string::npos);
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

// A zoo model with random weights has no data set: it runs on seeded synthetic post-ReLU inputs
// of its input size, functionally (outputs checked), without an accuracy.
TEST(RunCommand, RandomWeightZooModelsRunOnSyntheticInputsWithoutAccuracy) {
  const std::string dir = temp_dir("random_weights");
  fs::create_directories(dir);
  const std::string scenario = dir + "/lenet5_random.textproto";
  std::string s = slurp(kPdMlpStudy);
  const std::string file_line = "model { file: \"models/trained/pd_mlp_p4.pb\" }";
  ASSERT_NE(s.find(file_line), std::string::npos);
  s.replace(s.find(file_line), file_line.size(),
            "model { zoo: \"lenet5\" random_weights: true weights_seed: 3 }");
  std::ofstream(scenario) << s;
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", scenario, "--out", dir, "-q", "--set", "accelerator.images=2", "--set",
                     "accelerator.tile.kind=dense"},
                    out, err),
            0)
      << err.str();
  const std::string js = slurp(dir + "/lenet5_random.json");
  EXPECT_NE(js.find("\"outputs_match\": true"), std::string::npos) << js.substr(0, 400);
  EXPECT_EQ(js.find("\"accuracy\""), std::string::npos) << "no labels, no accuracy";
  EXPECT_EQ(js.find("\"nominal_sizes\": true"), std::string::npos);
  fs::remove_all(dir);
}

// A cold-start run (one image) with unbounded activation buffers and the pipe DRAM model: no
// steady state, no spill count, no DRAM row counts, no NoC-alone statistics; those cells are
// empty and those JSON fields absent, while the per-kind NoC latency is there. (The JSON's
// provenance holds the scenario's own "noc" section, so only the CSV shows the NoC-alone part.)
TEST(RunCommand, FieldsThatDoNotApplyAreEmptyInCsvAndAbsentInJson) {
  const std::string dir = temp_dir("empty");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--set", "accelerator.accuracy_images=500"},
                    out, err),
            0)
      << err.str();
  const CsvTable t = CsvTable::read(dir + "/fmnist_pd_mlp.csv");
  for (const char* empty :
       {"accelerator.activation_spill_bits", "accelerator.dram_row_hits",
        "accelerator.dram_row_misses", "accelerator.steady.cycles_per_inference",
        "accelerator.steady.latency_cycles", "accelerator.noc_latency.spill.packet.mean",
        "accelerator.noc_latency.spill.packet.count", "noc.packet_latency.mean", "noc.cycles"})
    EXPECT_EQ(t.at(0, empty), "") << empty;
  for (const char* given :
       {"accelerator.accuracy", "accelerator.baseline_accuracy", "accelerator.accuracy_images",
        "accelerator.weight_rmse", "accelerator.outputs_match", "accelerator.wall_seconds",
        "accelerator.noc_latency.all.packet.mean", "accelerator.noc_latency.weights.packet.p99",
        "accelerator.noc_latency.activations.network.mean",
        "accelerator.noc_latency.input.packet.count", "accelerator.noc_latency.output.packet.max"})
    EXPECT_TRUE(t.number(0, given).has_value()) << given << " = '" << t.at(0, given) << "'";
  EXPECT_EQ(t.at(0, "accelerator.accuracy_images"), "500");
  // The baseline is scored on the same 500 images, and no pass over the whole set runs for it.
  EXPECT_EQ(err.str().find("baseline accuracy"), std::string::npos) << err.str();
  const std::string json = slurp(dir + "/fmnist_pd_mlp.json");
  for (const char* absent :
       {"\"activation_spill_bits\"", "\"dram_row_hits\"", "\"steady\"", "\"spill\""})
    EXPECT_EQ(json.find(absent), std::string::npos) << absent;
  EXPECT_NE(json.find("\"noc_latency\""), std::string::npos);
  EXPECT_NE(out.str().find("NoC packet latency, mean / p99 cycles: weights "), std::string::npos)
      << out.str();
  fs::remove_all(dir);
}

// Without trained weights there is no accuracy, weight error or output check: empty, not 0.
TEST(RunCommand, TrafficOnlyRunLeavesAccuracyColumnsEmpty) {
  const std::string dir = temp_dir("zoo_empty");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--set", "model.file=", "--set",
                     "model.zoo=lenet5", "--set", "accelerator.dram.model=banked", "--set",
                     "accelerator.pe.activation_buffer_kib=64"},
                    out, err),
            0)
      << err.str();
  const CsvTable t = CsvTable::read(dir + "/fmnist_pd_mlp.csv");
  for (const char* empty :
       {"accelerator.accuracy", "accelerator.baseline_accuracy", "accelerator.accuracy_change",
        "accelerator.accuracy_images", "accelerator.weight_rmse", "accelerator.weight_max_error",
        "accelerator.outputs_match"})
    EXPECT_EQ(t.at(0, empty), "") << empty;
  // Banked DRAM has row buffers and a bounded buffer can spill: those apply here (0 is a count).
  EXPECT_TRUE(t.number(0, "accelerator.dram_row_hits").has_value());
  EXPECT_EQ(t.at(0, "accelerator.activation_spill_bits"), "0");
  EXPECT_GT(t.number(0, "accelerator.cycles").value_or(0), 0);
  fs::remove_all(dir);
}

TEST(RunCommand, CodecStagesCanBeSetFromTheCommandLine) {
  const std::string dir = temp_dir("int4");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--set", "codec.stages[0].name=quant",
                     "--set", "codec.stages[0].params[bits]=4"},
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
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--codec", "quant:bits=8"}, out, err), 0)
      << err.str();
  EXPECT_NE(out.str().find("codec quant:bits=8"), std::string::npos) << out.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--codec", "quant:bits=99"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("--codec"), std::string::npos) << err2.str();
  fs::remove_all(dir);
}

TEST(RunCommand, CodecSpecFieldMatchesTheCodecFlag) {
  const std::string dir = temp_dir("spec_field");
  std::ostringstream by_flag, by_field, err;
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--codec", "int4:granularity=block"},
                    by_flag, err),
            0)
      << err.str();
  ASSERT_EQ(
      run_cli({"run", kPdMlpStudy, "--out", dir, "--set", "codec.spec=int4:granularity=block"},
              by_field, err),
      0)
      << err.str();
  auto without_timing = [](std::string s) { return s.substr(0, s.find("  simulated in")); };
  EXPECT_EQ(without_timing(by_flag.str()), without_timing(by_field.str()));
  std::ostringstream out, bad;
  EXPECT_EQ(
      run_cli({"run", kPdMlpStudy, "--out", dir, "--set", "codec.spec=int4:bits=3"}, out, bad), 2);
  EXPECT_NE(bad.str().find("codec.spec"), std::string::npos) << bad.str();
  fs::remove_all(dir);
}

TEST(RunCommand, TrafficOnlyZooRunSaysSizesAreNominal) {
  const std::string dir = temp_dir("zoo");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--set", "model.file=", "--set",
                     "model.zoo=lenet5"},
                    out, err),
            0)
      << err.str();
  EXPECT_NE(out.str().find("sizes are NOMINAL"), std::string::npos) << out.str();
  fs::remove_all(dir);
}

TEST(RunCommand, BadConfigNamesFileLineOrSetAndField) {
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"run", kPdMlpStudy, "--set", "accelerator.mc_nodes=0,99"}, out, err), 2);
  EXPECT_NE(err.str().find("accelerator.mc_nodes[1]"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("does not exist"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"run", kPdMlpStudy, "--set", "accelerator.mapping=spiral"}, out2, err2), 2);
  EXPECT_NE(err2.str().find("round_robin"), std::string::npos) << err2.str();
  std::ostringstream out3, err3;
  EXPECT_EQ(run_cli({"run", kPdMlpStudy, "--set", "model.file=models/trained/none.pb"}, out3, err3),
            2);
  EXPECT_NE(err3.str().find("model.file"), std::string::npos) << err3.str();
}

TEST(RunCommand, ShippedAcceleratorStudiesLoad) {
  for (const char* f :
       {"configs/study/fmnist_pd_mlp.textproto", "configs/study/fmnist_cnn_pd.textproto",
        "configs/study/fmnist_vgg.textproto", "configs/study/vgg16_traffic_8x8.textproto",
        "configs/study/alexnet_traffic_8x8.textproto"}) {
    const LoadedScenario s = load_scenario(f);
    EXPECT_GT(s.scenario.tech().clock_ghz(), 0) << f;
    EXPECT_NE(s.scenario.model().file().empty(), s.scenario.model().zoo().empty()) << f;
  }
}

// The shipped PD VGG-style CNN runs cycle-level, and the simulated image's outputs equal the
// functional model's (accuracy on 500 images; the baseline is the whole test set, ~5 s). The
// dense twin's conv2d tiles are covered by fmnist_cnn_pd's.
TEST(RunCommand, ShippedVggRunsCycleLevelWithTheFunctionalModelsOutputs) {
  const std::string dir = temp_dir("vgg");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", "configs/study/fmnist_vgg.textproto", "--out", dir, "--set",
                     "accelerator.accuracy_images=500"},
                    out, err),
            0)
      << err.str();
  EXPECT_NE(out.str().find("equal the functional model's: yes"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("pd_conv2d"), std::string::npos) << out.str();
  const CsvTable t = CsvTable::read(dir + "/fmnist_vgg.csv");
  EXPECT_EQ(t.at(0, "accelerator.outputs_match"), "1");
  EXPECT_GT(t.number(0, "accelerator.accuracy").value_or(0), 0.88);
  EXPECT_GT(t.number(0, "accelerator.cycles").value_or(0), 0);
  fs::remove_all(dir);
}

// A shipped residual network, straight from its ONNX file: the adds run on the tiles, and every
// simulated image's outputs equal the functional model's.
TEST(RunCommand, ShippedResNetOnnxRunsCycleLevelWithItsResidualAdds) {
  const std::string dir = temp_dir("resnet");
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"run", kPdMlpStudy, "--out", dir, "--set",
                     "model.file=models/trained/onnx/resnet8_pd4.onnx", "--set",
                     "accelerator.images=2", "--set", "accelerator.accuracy_images=200"},
                    out, err),
            0)
      << err.str();
  EXPECT_NE(out.str().find("equal the functional model's: yes"), std::string::npos) << out.str();
  config::RunResult result;
  google::protobuf::util::JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;  // the provenance block
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(slurp(dir + "/fmnist_pd_mlp.json"),
                                                          &result, lenient)
                  .ok());
  int with_adds = 0;
  for (const auto& l : result.accelerator().layers()) with_adds += l.has_adds() && l.adds() > 0;
  EXPECT_EQ(with_adds, 3);  // the three residual adds, fused into their consumers' tiles
  const CsvTable t = CsvTable::read(dir + "/fmnist_pd_mlp.csv");
  EXPECT_GT(t.number(0, "accelerator.accuracy").value_or(0), 0.85);
  fs::remove_all(dir);
}

// The real binary, so that stderr is a file and not a terminal, as in a batch job's log.
TEST(RunCommand, ProgressGoesToStderrAsPlainLinesAndNeverIntoResults) {
  const std::string dir = temp_dir("progress");
  const std::string nocsim = std::string(NOCSIM_BINARY_DIR) + "/tools/nocsim";
  const std::string cmd =
      nocsim + " run " + kPdMlpStudy + " --set accelerator.accuracy_images=2000" + " --out " + dir;
  ASSERT_EQ(std::system((cmd + " > " + dir + ".out 2> " + dir + ".err").c_str()), 0)
      << slurp(dir + ".err");
  const std::string err = slurp(dir + ".err");
  EXPECT_NE(err.find("run: simulation done in "), std::string::npos) << err;
  EXPECT_NE(err.find("run: accuracy done in "), std::string::npos) << err;
  EXPECT_NE(err.find("2000/2000 images"), std::string::npos) << err;
  EXPECT_EQ(err.find('\r'), std::string::npos) << "a log gets lines, not a redrawn bar";
  for (const char* f : {"/fmnist_pd_mlp.json", "/fmnist_pd_mlp.csv"})
    EXPECT_EQ(slurp(dir + f).find("done in"), std::string::npos) << f;
  EXPECT_EQ(slurp(dir + ".out").find("done in"), std::string::npos) << "stdout stays the summary";

  ASSERT_EQ(std::system((cmd + " -q > " + dir + ".out 2> " + dir + ".err").c_str()), 0);
  EXPECT_EQ(slurp(dir + ".err"), "") << "-q: no progress";
  fs::remove_all(dir);
  fs::remove(dir + ".out");
  fs::remove(dir + ".err");
}

TEST(RunRunner, IsThreadSafeAndDeterministic) {
  auto runner = runner_registry().create("run", "runner");
  std::vector<LoadedScenario> scenarios = {
      load_scenario(kPdMlpStudy, {"codec.stages[0].name=quant", "codec.stages[0].params[bits]=8"}),
      load_scenario(kPdMlpStudy, {"codec.stages[0].name=quant", "codec.stages[0].params[bits]=4"})};
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
