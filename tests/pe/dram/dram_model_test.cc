#include "pe/dram/dram_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

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
  const DramStream a = pipe->read(0, {}, 640, 0);  // 10 cycles of data
  EXPECT_EQ(a.start, 100u);
  EXPECT_DOUBLE_EQ(a.bits_per_cycle, 64);
  EXPECT_EQ(pipe->read(0, {}, 64, 5).start, 110u);    // behind the first read
  EXPECT_EQ(pipe->read(1, {}, 64, 5).start, 105u);    // another controller is free
  EXPECT_EQ(pipe->read(0, {}, 64, 500).start, 600u);  // idle again: the latency alone
}

}  // namespace
}  // namespace nocsim::pe

namespace nocsim::pe {
namespace {

std::unique_ptr<DramModel> banked(const std::string& preset) {
  AcceleratorParams p;
  p.mc_nodes = {0};
  p.clock_ghz = 1.0;
  config::DramConfig cfg;
  cfg.set_preset(preset);
  return dram_registry().create("banked", "d", p, cfg);
}

TEST(BankedDram, AnOpenRowIsAHitAndAnotherRowInTheSameBankAMissWithPrecharge) {
  const auto d = banked("ddr4_2400");  // 8 KiB rows, 16 banks, 16-16-16 at 0.833 ns, 19.2 GB/s
  const double tcl = 16 * 0.833, trcd = tcl, trp = tcl;
  const uint64_t row_bits = 8192 * 8;
  // Region A: two rows (banks 0 and 1), both closed: two misses, activate + column latency.
  const DramStream a = d->read(0, {DramRegion::kWeights, 0, 0}, 2 * row_bits, 0);
  EXPECT_EQ(a.start, static_cast<uint64_t>(std::ceil(trcd + tcl)));
  EXPECT_EQ(d->stats().row_misses, 2u);
  // Read again, much later: both rows still open, so hits with only the column latency.
  const DramStream again = d->read(0, {DramRegion::kWeights, 0, 0}, 2 * row_bits, 10000);
  EXPECT_EQ(again.start, static_cast<uint64_t>(std::ceil(10000 + tcl)));
  EXPECT_EQ(d->stats().row_hits, 2u);
  EXPECT_NEAR(again.bits_per_cycle, 19.2 * 8, 1e-9);  // rows back to back at the peak rate
  // Region B lies after A: 14 rows fill banks 2..15, then banks 0 and 1 again in their next row,
  // where A's rows are open: precharge first.
  d->read(0, {DramRegion::kInput, 0, 0}, 16 * row_bits, 20000);
  EXPECT_EQ(d->stats().row_misses, 2u + 16u);
  const DramStream back = d->read(0, {DramRegion::kWeights, 0, 0}, row_bits, 100000);
  EXPECT_EQ(back.start, static_cast<uint64_t>(std::ceil(100000 + trp + trcd + tcl)));
}

TEST(BankedDram, PresetsDifferAndAnUnknownPresetIsAnErrorOnTheField) {
  const auto ddr4 = banked("ddr4_2400");
  const auto lp = banked("lpddr4_3200");
  const DramStream a = ddr4->read(0, {}, 64 * 8, 0);
  const DramStream b = lp->read(0, {}, 64 * 8, 0);
  EXPECT_LT(a.start, b.start);  // 26.7 ns against 35.5 ns to the first data
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->mutable_dram()->set_model("banked");
  sc.mutable_accelerator()->mutable_dram()->set_preset("ddr9_9999");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.dram.preset");
}

TEST(BankedDram, ReportsRowHitsAndMissesInTheResult) {
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->mutable_dram()->set_model("banked");
  sc.mutable_accelerator()->set_images(3);
  const config::AcceleratorResult r = testing::run(sc);
  EXPECT_TRUE(r.outputs_match());
  EXPECT_GT(r.dram_row_misses(), 0u);
  EXPECT_GT(r.dram_row_hits() + r.dram_row_misses(), 3u);
}

}  // namespace
}  // namespace nocsim::pe
