#include "pe/area.h"

#include <gtest/gtest.h>

#include "pe/sram_cost.h"
#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

// The default study: 4x4 mesh, 12 tiles of 16 fp32 MACs, 64 KiB weight buffers, 45 nm preset.
TEST(Area, TheDefaultMachineIsTheSumOfItsPartsFromThePreset) {
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->set_images(2);
  const config::AcceleratorResult r = testing::run(sc);
  const config::AcceleratorArea& a = r.area();
  EXPECT_NEAR(a.mac_mm2(), 12 * 16 * (7700 + 4184) * 1e-6, 1e-12) << "fp32 mult + fp32 add";
  EXPECT_NEAR(a.router_mm2(), 16 * 0.163, 1e-12);
  EXPECT_NEAR(a.decoder_mm2(), 12 * 0.01, 1e-12);
  // 64 KiB between the 32 KiB (0.0042) and 1 MiB (0.0031) entries, one fifth of the way in log2.
  EXPECT_NEAR(sram_cost(testing::tech(), 64).mm2, 64 * (0.0042 - 0.2 * 0.0011), 1e-12);
  EXPECT_GT(a.sram_mm2(), 12 * sram_cost(testing::tech(), 64).mm2);
  EXPECT_NEAR(a.total_mm2(), a.sram_mm2() + a.mac_mm2() + a.decoder_mm2() + a.router_mm2(), 1e-12);
  EXPECT_NEAR(r.inferences_per_second_per_mm2(), r.steady().inferences_per_second() / a.total_mm2(),
              1e-9);
}

TEST(Area, NarrowerDatapathsAndSmallerBuffersTakeLessArea) {
  config::Scenario sc = testing::default_study();
  const config::AcceleratorResult fp32 = testing::run(sc);
  auto* dp = sc.mutable_accelerator()->mutable_datapath();
  dp->set_weight_precision("int8");
  dp->set_activation_precision("int8");
  testing::set_codec(sc, "quant", 8);
  const config::AcceleratorResult int8 = testing::run(sc);
  EXPECT_NEAR(int8.area().mac_mm2(), 12 * 16 * (282 + 137) * 1e-6, 1e-12)
      << "int8 mult + int32 accumulator";
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(8);
  const config::AcceleratorResult small = testing::run(sc);
  EXPECT_LT(small.area().sram_mm2(), int8.area().sram_mm2());
  EXPECT_EQ(small.area().router_mm2(), fp32.area().router_mm2());
  // One image: throughput is one over the cold start.
  EXPECT_NEAR(fp32.inferences_per_second_per_mm2(),
              1e9 / static_cast<double>(fp32.cold().cycles()) / fp32.area().total_mm2(), 1e-6);
}

}  // namespace
}  // namespace nocsim::pe
