#include "pe/dram/dram_model.h"

#include <gtest/gtest.h>

#include "../parts_test_util.h"

namespace nocsim::pe {
namespace {

TEST(DramModel, EveryRegisteredModelRunsTheDefaultStudy) {
  ASSERT_FALSE(dram_registry().names().empty());
  for (const std::string& name : dram_registry().names()) {
    SCOPED_TRACE(name);
    config::Scenario sc = testing::default_study();
    sc.mutable_accelerator()->mutable_dram()->set_model(name);
    sc.mutable_accelerator()->set_images(2);
    const config::AcceleratorResult r = testing::run(sc);
    EXPECT_TRUE(r.outputs_match());
    EXPECT_GT(r.energy().dram_pj(), 0);
  }
}

TEST(DramModel, UnknownModelIsAnErrorOnTheField) {
  EXPECT_NE(dram_registry().find(kDefaultDramModel), nullptr);
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->mutable_dram()->set_model("hbm9");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.dram.model");
}

TEST(DramModel, PipeWaitsTheLatencyThenQueuesReadsAtTheBandwidth) {
  AcceleratorParams p;
  p.mc_nodes = {0, 3};
  p.dram_latency_cycles = 100;
  p.dram_bits_per_cycle = 64;
  const auto pipe = dram_registry().create("pipe", "d", p, config::DramConfig{});
  const DramStream a = pipe->read(0, 640, 0);  // 10 cycles of data
  EXPECT_EQ(a.start, 100u);
  EXPECT_DOUBLE_EQ(a.bits_per_cycle, 64);
  EXPECT_EQ(pipe->read(0, 64, 5).start, 110u);    // behind the first read
  EXPECT_EQ(pipe->read(1, 64, 5).start, 105u);    // another controller is free
  EXPECT_EQ(pipe->read(0, 64, 500).start, 600u);  // idle again: the latency alone
}

}  // namespace
}  // namespace nocsim::pe
