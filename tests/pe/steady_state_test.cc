// Cold start and steady state: a stream of images through the pipeline.
#include <gtest/gtest.h>

#include "models/architecture.h"
#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;
using testing::set_codec;

config::AcceleratorResult stream(config::Scenario sc, uint32_t images,
                                 const config::ModelFile& model = testing::pd_mlp()) {
  sc.mutable_accelerator()->set_images(images);
  return run(sc, model);
}

TEST(SteadyState, FiguresAreTheRunAfterTheFirstImageOverTheOtherImages) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 4);
  const config::AcceleratorResult r = stream(sc, 8);
  ASSERT_TRUE(r.outputs_match());
  EXPECT_EQ(r.cold().cycles(), r.first_image_cycles());
  EXPECT_DOUBLE_EQ(r.steady().cycles_per_inference(),
                   static_cast<double>(r.total_cycles() - r.cold().cycles()) / 7.0);
  EXPECT_DOUBLE_EQ(r.steady().energy_pj_per_inference(),
                   (r.energy().total_pj() - r.cold().energy_pj()) / 7.0);
  EXPECT_DOUBLE_EQ(r.steady().inferences_per_second(),
                   1e9 / r.steady().cycles_per_inference());  // 45 nm: 1 GHz
  EXPECT_LT(r.cold().energy_pj(), r.energy().total_pj());
}

// The shipped MLP's shapes without its weights: every image costs the same.
config::ModelFile mlp_shapes() {
  config::ModelFile m = testing::pd_mlp();
  for (auto& l : *m.mutable_layers()) {
    l.clear_weights();
    l.clear_bias();
  }
  return m;
}

TEST(SteadyState, IsPeriodicOnceThePipelineIsFull) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 8);
  // Unicast copies: the pipeline is full within a few images. (Multicast: see below.)
  sc.mutable_accelerator()->set_multicast(false);
  const config::ModelFile shapes = mlp_shapes();
  const config::AcceleratorResult a = stream(sc, 11, shapes);
  const config::AcceleratorResult b = stream(sc, 31, shapes);
  ASSERT_TRUE(a.nominal_sizes());
  EXPECT_EQ(a.cold().cycles(), b.cold().cycles());
  EXPECT_NEAR(a.steady().cycles_per_inference(), b.steady().cycles_per_inference(),
              0.01 * b.steady().cycles_per_inference());
  EXPECT_NEAR(a.steady().energy_pj_per_inference(), b.steady().energy_pj_per_inference(),
              0.01 * b.steady().energy_pj_per_inference());
}

// With multicast the first images cost less than the later ones while the pipeline fills, so the
// mean over images 1..N-1 converges slowly; the cost of each further image is constant.
TEST(SteadyState, WithMulticastEachFurtherImageCostsTheSame) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 8);
  const config::ModelFile shapes = mlp_shapes();
  const double a = static_cast<double>(stream(sc, 11, shapes).total_cycles());
  const double b = static_cast<double>(stream(sc, 31, shapes).total_cycles());
  const double c = static_cast<double>(stream(sc, 61, shapes).total_cycles());
  EXPECT_NEAR((b - a) / 20, (c - b) / 30, 0.01 * (c - b) / 30);
}

TEST(SteadyState, ResidentWeightsMakeAnInferenceCheaperThanTheColdStart) {
  config::Scenario sc = default_study();  // fp32 weights fit the 64 KiB buffers
  const config::AcceleratorResult r = stream(sc, 6);
  EXPECT_EQ(r.tiles_refetching(), 0u);
  EXPECT_LT(r.steady().cycles_per_inference(), 0.5 * r.cold().cycles());
  EXPECT_LT(r.steady().energy_pj_per_inference(), 0.1 * r.cold().energy_pj());
  EXPECT_TRUE(r.outputs_match());
}

TEST(SteadyState, ImagesOverlapInThePipeline) {
  // With resident weights the next image enters before the previous one is out: images leave
  // more often than one image takes to cross the machine.
  const config::AcceleratorResult r = stream(default_study(), 8);
  EXPECT_GT(r.steady().latency_cycles(), 0.0);
  EXPECT_LT(r.steady().cycles_per_inference(), 0.95 * r.steady().latency_cycles());
}

TEST(SteadyState, RefetchingTilesStayFunctionalAndPayForTheirWeightsEveryImage) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(8);
  const config::AcceleratorResult r = stream(sc, 4);
  EXPECT_EQ(r.tiles_refetching(), 12u);
  EXPECT_TRUE(r.outputs_match());
  const config::AcceleratorResult fits = stream(default_study(), 4);
  EXPECT_GT(r.steady().energy_pj_per_inference(), 5 * fits.steady().energy_pj_per_inference());
}

TEST(SteadyState, OneImageHasNoSteadyState) {
  const config::AcceleratorResult r = stream(default_study(), 1);
  EXPECT_EQ(r.cold().cycles(), r.total_cycles());
  EXPECT_DOUBLE_EQ(r.cold().energy_pj(), r.energy().total_pj());
  EXPECT_EQ(r.steady().cycles_per_inference(), 0.0);
}

TEST(SteadyState, RerunsAreBitIdentical) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 4);
  config::AcceleratorResult a = stream(sc, 5);
  config::AcceleratorResult b = stream(sc, 5);
  a.clear_wall_seconds();
  b.clear_wall_seconds();
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

}  // namespace
}  // namespace nocsim::pe
