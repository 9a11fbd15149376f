#include "pe/sram_cost.h"

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

TEST(SramCost, TheTablesPointsAreReturnedAndSizesBetweenInterpolateInLogSize) {
  const config::TechConfig t = testing::tech("45nm");
  ASSERT_GE(t.sram_arrays_size(), 3);
  EXPECT_DOUBLE_EQ(sram_cost(t, 8).read_pj_per_bit, 10.0 / 64);  // Horowitz: 8 KB, 10 pJ
  EXPECT_DOUBLE_EQ(sram_cost(t, 32).read_pj_per_bit, 20.0 / 64);
  EXPECT_DOUBLE_EQ(sram_cost(t, 1024).read_pj_per_bit, 100.0 / 64);
  EXPECT_DOUBLE_EQ(sram_cost(t, 16).read_pj_per_bit, 15.0 / 64);  // halfway in log2
  EXPECT_LT(sram_cost(t, 4).read_pj_per_bit, sram_cost(t, 8).read_pj_per_bit);
  EXPECT_GT(sram_cost(t, 4096).read_pj_per_bit, sram_cost(t, 1024).read_pj_per_bit);
  EXPECT_GT(sram_cost(t, 4).read_pj_per_bit, 0.0);
  EXPECT_DOUBLE_EQ(sram_cost(t, 64).leakage_pj_per_cycle,
                   2 * sram_cost(t, 32).leakage_pj_per_cycle);
}

TEST(SramCost, AnEmptyTableGivesTheFlatFiguresAndABadOneIsAnError) {
  config::TechConfig t = testing::tech("45nm");
  t.clear_sram_arrays();
  EXPECT_DOUBLE_EQ(sram_cost(t, 4096).read_pj_per_bit, t.sram_read_pj_per_bit());
  EXPECT_DOUBLE_EQ(sram_cost(t, 4096).leakage_pj_per_cycle, 0.0);
  t = testing::tech("45nm");
  t.mutable_sram_arrays(1)->set_kib(4);
  try {
    sram_cost(t, 8);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "tech.sram_arrays[1].kib");
  }
}

TEST(SramCost, BiggerBuffersCostMoreEnergyPerAccess) {
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(64);
  const config::AcceleratorResult small = testing::run(sc);
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(1024);
  const config::AcceleratorResult big = testing::run(sc);
  EXPECT_EQ(small.cycles(), big.cycles());  // both hold every weight
  EXPECT_GT(big.energy().sram_pj(), 2 * small.energy().sram_pj());
  EXPECT_GT(big.energy().pe_leakage_pj(), small.energy().pe_leakage_pj());
}

}  // namespace
}  // namespace nocsim::pe
