#include "pe/layer_plan.h"

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "models/architecture.h"
#include "models/model_file.h"
#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

TEST(LayerPlan, FusesReluAndPoolingIntoTheWeightLayerBeforeThem) {
  const LayerPlan plan = plan_layers(models::describe_layers(testing::small_cnn_shapes()));
  ASSERT_EQ(plan.stages.size(), 4u);
  EXPECT_TRUE(plan.prefix.empty());
  EXPECT_EQ(plan.input_elems, 28 * 28);
  const Stage& c1 = plan.stages[0];
  EXPECT_EQ(c1.fused.size(), 2u);        // relu + max_pool
  EXPECT_EQ(c1.out_elems, 4 * 14 * 14);  // after the pool
  EXPECT_EQ(c1.out_begin(1), 14 * 14);
  EXPECT_EQ(plan.stages[1].in_elems, c1.out_elems);
  const Stage& fc1 = plan.stages[2];
  EXPECT_EQ(fc1.channels_per_block_row, 4);
  EXPECT_EQ(fc1.block_rows, 8);
  EXPECT_EQ(fc1.out_begin(8), 32);
  const Stage& fc2 = plan.stages[3];  // 10 outputs in 3 block-rows of 4: the last is short
  EXPECT_EQ(fc2.block_rows, 3);
  EXPECT_EQ(fc2.out_end(3), 10);
  EXPECT_EQ(fc2.out_end(3) - fc2.out_begin(2), 2);
}

// ResNet-8 at widths 4, 8, 16: identity shortcuts in stage 1, projections (1x1 convs listed after
// the block's second conv) into stages 2 and 3.
TEST(LayerPlan, ResidualAddsFuseIntoTheStageOfTheirLastOperand) {
  models::ArchitectureOptions o;
  o.conv_channels = {4};
  const auto layers = models::describe_layers(models::build_architecture("resnet8", o));
  const LayerPlan plan = plan_layers(layers);
  ASSERT_EQ(plan.stages.size(), 10u);  // 8 layers of ResNet-8 + 2 projections
  auto stage = [&](const std::string& name) {
    for (size_t s = 0; s < plan.stages.size(); ++s)
      if (plan.stages[s].name == name) return static_cast<int>(s);
    ADD_FAILURE() << name;
    return -1;
  };
  const int stem = stage("stem"), c1 = stage("stage1.0.conv1"), c2 = stage("stage1.0.conv2");
  EXPECT_EQ(plan.stages[stem].sources, (std::vector<int>{-1}));
  EXPECT_EQ(plan.stages[stem].consumers, (std::vector<int>{c1, c2}));  // conv1 and the add
  // Identity block: the add (and the ReLU after it) on conv2's tiles, which also wait for the
  // block's input.
  const Stage& s2 = plan.stages[c2];
  EXPECT_EQ(s2.sources, (std::vector<int>{c1, stem}));
  ASSERT_EQ(s2.fused.size(), 2u);
  EXPECT_EQ(layers[s2.fused[0]].kind, "add");
  EXPECT_EQ(s2.adds_per_channel, 28 * 28);
  EXPECT_EQ(s2.in_elems, 2 * 4 * 28 * 28);  // conv2's input and the shortcut operand
  // Projection block: the add goes with the shortcut conv (computed after conv2).
  const int p2 = stage("stage2.0.shortcut"), d2 = stage("stage2.0.conv2");
  EXPECT_EQ(plan.stages[p2].sources, (std::vector<int>{c2, d2}));
  EXPECT_EQ(plan.stages[p2].adds_per_channel, 14 * 14);
  EXPECT_EQ(plan.stages[d2].consumers, (std::vector<int>{p2}));
  EXPECT_TRUE(plan.stages.back().consumers.empty());
  for (size_t s = 0; s < plan.stages.size(); ++s)
    EXPECT_EQ(plan.stage_of[plan.stages[s].layer], static_cast<int>(s));
}

TEST(LayerPlan, ChainsKeepThePreviousStageAsTheirOnlySource) {
  const LayerPlan plan = plan_layers(models::describe_layers(testing::small_cnn_shapes()));
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    EXPECT_EQ(plan.stages[s].sources, (std::vector<int>{static_cast<int>(s) - 1}));
    EXPECT_EQ(plan.stages[s].adds_per_channel, 0);
    if (s + 1 < plan.stages.size()) {
      EXPECT_EQ(plan.stages[s].consumers, (std::vector<int>{static_cast<int>(s) + 1}));
    }
  }
}

// Graphs the tiles cannot run are refused on the layer, saying why.
TEST(LayerPlan, GraphsTheTilesCannotRunAreUserErrors) {
  auto error = [](models::SpecBuilder b) {
    try {
      plan_layers(models::describe_layers(b.build()));
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  // A second branch from the image: only the first weight layer's tiles receive it.
  models::SpecBuilder two("g", "g", 1, 4, 4, 4);
  two.conv("a", 2, 3, 1, 1).from("input").conv("b", 2, 3, 1, 1).add("s", {"a", "b"});
  EXPECT_NE(error(two).find("reads the model's input"), std::string::npos) << error(two);
  // A ReLU on a tensor another layer also reads (the tiles send only the fused result).
  models::SpecBuilder fan("g", "g", 1, 4, 4, 4);
  fan.conv("a", 2, 3, 1, 1).relu("r").conv("b", 2, 3, 1, 1).from("a").relu("r2");
  fan.add("s", {"b", "r2"});
  EXPECT_NE(error(fan).find("reads no output that only it reads"), std::string::npos) << error(fan);
}

TEST(LayerPlan, AModelWithoutWeightLayersIsAUserError) {
  models::LayerInfo relu;
  relu.kind = "relu";
  relu.input = relu.output = {10, 1, 1};
  EXPECT_THROW(plan_layers({relu}), UserError);
}

}  // namespace
}  // namespace nocsim::pe
