#include "pe/dataflow/dataflow.h"

#include <gtest/gtest.h>

#include "../parts_test_util.h"

namespace nocsim::pe {
namespace {

TEST(Dataflow, EveryRegisteredDataflowRunsFunctionally) {
  ASSERT_FALSE(dataflow_registry().names().empty());
  for (const std::string& name : dataflow_registry().names()) {
    SCOPED_TRACE(name);
    config::Scenario sc = testing::default_study();
    sc.mutable_accelerator()->set_dataflow(name);
    sc.mutable_accelerator()->set_images(2);
    const config::AcceleratorResult r = testing::run(sc);
    EXPECT_TRUE(r.outputs_match());
    EXPECT_GT(r.activation_flits(), 0u);
  }
}

TEST(Dataflow, UnknownDataflowIsAnErrorOnTheField) {
  EXPECT_NE(dataflow_registry().find(kDefaultDataflow), nullptr);
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->set_dataflow("weight_stationary_nonexistent");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.dataflow");
}

TEST(Dataflow, OutputPartitioningSendsEveryOutputSliceToEveryNextLayerTile) {
  Placement pl;
  pl.producers = {{0, 1, 2}, {1, 3}, {0, 2}};
  pl.sources = {{-1}, {0}, {1, 0}};  // stage 2 adds stage 0's outputs (a residual shortcut)
  const auto df = dataflow_registry().create("output_partitioning", "d");
  EXPECT_EQ(df->input_receivers(pl), (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(df->receivers(pl, 0, 1, 2), (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(df->receivers(pl, 0, 2, 2), (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(df->expected_inputs(pl, 0, 1), 1u);  // the input image
  EXPECT_EQ(df->expected_inputs(pl, 1, 3), 3u);  // one slice per producer
  EXPECT_EQ(df->expected_inputs(pl, 2, 0), 5u);  // both sources' producers
}

}  // namespace
}  // namespace nocsim::pe
