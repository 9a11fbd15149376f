// The PE datapath (accelerator.datapath, pe/datapath.h): MAC energy per format from the preset's
// Horowitz table, the codec-feeds check, and runs whose tiles compute on int8 / int16 / fp16.
#include "pe/datapath.h"

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "parts_test_util.h"
#include "pe/tile/tile.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;
using testing::set_codec;

models::Datapath datapath(const char* w, const char* a) {
  return {models::precision_by_name(w, "w"), models::precision_by_name(a, "a")};
}

void set_datapath(config::Scenario& sc, const char* w, const char* a) {
  sc.mutable_accelerator()->mutable_datapath()->set_weight_precision(w);
  sc.mutable_accelerator()->mutable_datapath()->set_activation_precision(a);
}

// Horowitz, ISSCC 2014 (45 nm): mult + accumulator add; int16 mult and the 64-bit add are the
// preset's derived figures.
TEST(Datapath, MacEnergyFollowsTheHorowitzTable) {
  const config::TechConfig t45 = testing::tech("45nm");
  EXPECT_EQ(mac_energy_pj(t45, datapath("fp32", "fp32")), 4.6);  // the old fp32 mac_pj, exactly
  EXPECT_DOUBLE_EQ(mac_energy_pj(t45, datapath("int8", "int8")), 0.2 + 0.1);
  EXPECT_DOUBLE_EQ(mac_energy_pj(t45, datapath("int16", "int16")), 0.787 + 0.2);
  EXPECT_DOUBLE_EQ(mac_energy_pj(t45, datapath("int8", "int16")), 0.787 + 0.2);
  EXPECT_DOUBLE_EQ(mac_energy_pj(t45, datapath("fp16", "fp16")), 1.1 + 0.9);
  EXPECT_DOUBLE_EQ(mac_energy_pj(t45, datapath("fp32", "int8")), 3.7 + 0.9);
  EXPECT_DOUBLE_EQ(mac_energy_pj(t45, datapath("int8", "fp16")), 1.1 + 0.9);
  // 28 nm scales the logic by 0.5.
  const config::TechConfig t28 = testing::tech("28nm");
  EXPECT_EQ(mac_energy_pj(t28, datapath("fp32", "fp32")), 2.3);
  for (const auto& p : models::precisions())
    EXPECT_DOUBLE_EQ(mac_energy_pj(t28, datapath(p.name, p.name)),
                     0.5 * mac_energy_pj(t45, datapath(p.name, p.name)))
        << p.name;
}

TEST(Datapath, ARunChargesItsMacsAtTheDatapathsEnergy) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 8);
  set_datapath(sc, "int8", "int8");
  const config::AcceleratorResult r = run(sc);
  EXPECT_EQ(r.weight_precision(), "int8");
  EXPECT_EQ(r.activation_precision(), "int8");
  EXPECT_TRUE(r.outputs_match());
  EXPECT_DOUBLE_EQ(r.energy().mac_pj(), static_cast<double>(r.macs()) * 0.3);
}

TEST(Datapath, DefaultIsFp32AndAnExplicitFp32ChangesNothing) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 4);
  config::AcceleratorResult a = run(sc);
  set_datapath(sc, "fp32", "fp32");
  config::AcceleratorResult b = run(sc);
  EXPECT_EQ(a.weight_precision(), "fp32");
  EXPECT_EQ(a.activation_precision(), "fp32");
  a.clear_wall_seconds();
  b.clear_wall_seconds();
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
  EXPECT_DOUBLE_EQ(a.energy().mac_pj(), static_cast<double>(a.macs()) * 4.6);
}

TEST(Datapath, TilesComputeOnEveryPrecisionAndMatchTheFunctionalModel) {
  for (const auto& w : models::precisions())
    for (const char* a : {"int8", "fp16", "fp32"}) {
      config::Scenario sc = default_study();
      set_codec(sc, w.bits >= 16 ? "fp16" : "quant", w.bits >= 16 ? 0 : 8);
      if (w.bits == 32) set_codec(sc, "identity");
      set_datapath(sc, w.name, a);
      sc.mutable_accelerator()->set_images(3);
      const config::AcceleratorResult r = run(sc);
      EXPECT_TRUE(r.outputs_match()) << w.name << " x " << a;
    }
}

TEST(Datapath, BitsOnTheWireAndInTheBuffersFollowThePrecisions) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 8);
  const config::AcceleratorResult fp32 = run(sc);
  set_datapath(sc, "int8", "int8");
  const config::AcceleratorResult int8 = run(sc);
  // Activations (784 input pixels and every layer's outputs) shrink fourfold, weights not at all.
  EXPECT_LT(int8.activation_flits() * 3, fp32.activation_flits());
  EXPECT_EQ(int8.weight_flits(), fp32.weight_flits());
  EXPECT_LT(int8.energy().sram_pj() * 3, fp32.energy().sram_pj());

  // A decoded weight occupies the weight precision's bits.
  AcceleratorParams p;
  Stage st;
  Share sh;
  sh.weights = 1000;
  for (const auto& prec : models::precisions()) {
    p.weight_bits = static_cast<uint32_t>(prec.bits);
    const auto tile = tile_registry().create(kDefaultTileKind, "t", p);
    EXPECT_EQ(tile->stored_bits(st, sh), 1000u * prec.bits) << prec.name;
  }
}

TEST(Datapath, ACodecWiderThanTheWeightsIsAnErrorOnTheField) {
  config::Scenario sc = default_study();  // identity: 32 bits per weight
  set_datapath(sc, "int8", "fp32");
  try {
    run(sc);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.datapath.weight_precision");
    EXPECT_NE(e.reason().find("identity"), std::string::npos) << e.reason();
    EXPECT_NE(e.reason().find("int8"), std::string::npos) << e.reason();
  }
  set_datapath(sc, "fp16", "fp32");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.datapath.weight_precision");
  set_codec(sc, "fp16");
  EXPECT_EQ(testing::error_field_of(sc), "(no error)");
  // Per-block scales are overhead below one bit per weight: int8 per 64 weights feeds int8.
  set_datapath(sc, "int8", "int8");
  set_codec(sc, "quant", 8);
  (*sc.mutable_codec()->mutable_stages(0)->mutable_params())["granularity"] = "block";
  EXPECT_EQ(testing::error_field_of(sc), "(no error)");
}

}  // namespace
}  // namespace nocsim::pe
