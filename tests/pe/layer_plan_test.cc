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

TEST(LayerPlan, AModelWithoutWeightLayersIsAUserError) {
  models::LayerInfo relu;
  relu.kind = "relu";
  relu.input = relu.output = {10, 1, 1};
  EXPECT_THROW(plan_layers({relu}), UserError);
}

}  // namespace
}  // namespace nocsim::pe
