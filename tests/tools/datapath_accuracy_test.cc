// Quantized activations change the accelerator's accuracy by exactly what `nocsim eval` gives for
// the same precisions: both call models::datapath_accuracy on the same decoded weights.
#include <gtest/gtest.h>

#include <sstream>

#include "configs/user_error.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "pe/accelerator.h"
#include "tools/command.h"
#include "tools/model_eval.h"
#include "tools/scenario_loader.h"

namespace nocsim::tools {
namespace {

const std::string kRoot = NOCSIM_SOURCE_DIR;

config::AcceleratorResult run_study(const std::vector<std::string>& sets) {
  const LoadedScenario ls = load_scenario(kRoot + "/configs/study/fmnist_pd_mlp.textproto", sets);
  static const config::ModelFile model =
      models::read_model_file(kRoot + "/models/trained/pd_mlp_p4.pb");
  static const models::Dataset test = models::load_fashion_mnist("", models::Split::kTest);
  pe::RunInputs in;
  in.scenario = &ls.scenario;
  in.model = &model;
  in.test = &test;
  return pe::run_accelerator(in);
}

models::Datapath datapath(const char* w, const char* a) {
  return {models::precision_by_name(w, "w"), models::precision_by_name(a, "a")};
}

config::ModelConfig mlp() {
  config::ModelConfig mc;
  mc.set_file(kRoot + "/models/trained/pd_mlp_p4.pb");
  return mc;
}

TEST(DatapathAccuracy, Int8AcceleratorEqualsEvalBitForBit) {
  const config::AcceleratorResult r =
      run_study({"codec.spec=quant:bits=8", "accelerator.datapath.weight_precision=int8",
                 "accelerator.datapath.activation_precision=int8"});
  const ModelEval ev = evaluate_model(mlp(), "quant:bits=8", 0, datapath("int8", "int8"));
  ASSERT_TRUE(ev.codec.has_value());
  EXPECT_TRUE(r.outputs_match());
  EXPECT_EQ(r.accuracy(), ev.codec->accuracy);
  EXPECT_EQ(r.baseline_accuracy(), ev.accuracy);
  EXPECT_EQ(r.accuracy_change(), ev.codec->accuracy - ev.accuracy);
  EXPECT_NE(r.accuracy(), r.baseline_accuracy());  // the datapath does change something
}

TEST(DatapathAccuracy, Int8ActivationsAloneEqualEvalBitForBit) {
  const config::AcceleratorResult r = run_study({"accelerator.datapath.activation_precision=int8"});
  const ModelEval ev = evaluate_model(mlp(), "", 0, datapath("fp32", "int8"));
  ASSERT_TRUE(ev.datapath_accuracy.has_value());
  EXPECT_TRUE(r.outputs_match());
  EXPECT_EQ(r.accuracy(), *ev.datapath_accuracy);
  EXPECT_EQ(r.accuracy_change(), *ev.datapath_accuracy - ev.accuracy);
  // The default datapath is today's: the accuracy of the original weights.
  const config::AcceleratorResult fp32 = run_study({});
  EXPECT_EQ(fp32.accuracy(), ev.accuracy);
}

TEST(DatapathAccuracy, EvalRefusesUnknownPrecisionsAndTooWideCodecs) {
  std::ostringstream out, err;
  const std::string model = kRoot + "/models/trained/pd_mlp_p4.pb";
  EXPECT_NE(run_cli({"eval", "--model", model, "--activation-precision", "int3"}, out, err), 0);
  EXPECT_NE(err.str().find("--activation-precision"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("int8"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_NE(run_cli({"eval", "--model", model, "--codec", "identity", "--weight-precision", "int8"},
                    out2, err2),
            0);
  EXPECT_NE(err2.str().find("--weight-precision"), std::string::npos) << err2.str();
}

}  // namespace
}  // namespace nocsim::tools
