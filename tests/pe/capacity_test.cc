// Buffer capacities: weight residency per layer, activation spill, block-row minimums.
#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "parts_test_util.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;

TEST(Capacity, WhatFitsStaysAndTheRestIsRefetchedEveryImage) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_images(3);
  const config::AcceleratorResult fits = run(sc);
  EXPECT_EQ(fits.tiles_refetching(), 0u);
  EXPECT_EQ(fits.weight_fetches(), 12u + 12u + 3u);  // fc1, fc2 on 12 tiles, fc3 on 3: once
  // 8 KiB = 65,536 bits: a tile's fc1 share (6-7 block-rows of 784 fp32 weights) cannot stay;
  // fc2 (2-3 block-rows of 300) and fc3 fit beside half a buffer left for streaming fc1.
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(8);
  const config::AcceleratorResult small = run(sc);
  EXPECT_EQ(small.tiles_refetching(), 12u);
  EXPECT_EQ(small.weight_fetches(), fits.weight_fetches() + 2 * 12u);  // fc1 again, twice
  EXPECT_EQ(small.layers(0).weight_flits(), 3 * fits.layers(0).weight_flits());
  EXPECT_EQ(small.layers(1).weight_flits(), fits.layers(1).weight_flits());
  EXPECT_EQ(small.layers(2).weight_flits(), fits.layers(2).weight_flits());
  EXPECT_GT(small.steady().cycles_per_inference(), fits.steady().cycles_per_inference());
  EXPECT_TRUE(small.outputs_match());
}

TEST(Capacity, SpillTrafficAppearsExactlyWhenTheActivationBufferIsTooSmall) {
  config::Scenario sc = default_study();
  const config::AcceleratorResult unbounded = run(sc);
  EXPECT_FALSE(unbounded.has_activation_spill_bits()) << "no bound, no spill count";
  // 4 KiB holds fc1's whole input (784 x 32 bits) and its outputs: no spill, same run.
  sc.mutable_accelerator()->mutable_pe()->set_activation_buffer_kib(4);
  config::AcceleratorResult roomy = run(sc);
  EXPECT_TRUE(roomy.has_activation_spill_bits());
  EXPECT_EQ(roomy.activation_spill_bits(), 0u);
  EXPECT_FALSE(roomy.noc_latency().has_spill());
  roomy.clear_activation_spill_bits();
  roomy.clear_wall_seconds();
  config::AcceleratorResult u = unbounded;
  u.clear_wall_seconds();
  EXPECT_EQ(roomy.SerializeAsString(), u.SerializeAsString());
  // 2 KiB = 16,384 bits: each fc1 tile holds 784 inputs + 24 or 28 outputs (75 block-rows of 4
  // over 12 tiles: 3 tiles get 7, 9 get 6) and spills the excess; fc2 and fc3 fit.
  sc.mutable_accelerator()->mutable_pe()->set_activation_buffer_kib(2);
  const config::AcceleratorResult tight = run(sc);
  const uint64_t expected = 3 * ((784 + 28) * 32 - 16384) + 9 * ((784 + 24) * 32 - 16384);
  EXPECT_EQ(tight.activation_spill_bits(), expected);
  EXPECT_EQ(tight.dram_bits(), unbounded.dram_bits() + 2 * expected);
  EXPECT_GT(tight.activation_flits(), unbounded.activation_flits());
  EXPECT_GT(tight.cycles(), unbounded.cycles());
  EXPECT_TRUE(tight.outputs_match());
  ASSERT_TRUE(tight.noc_latency().has_spill());
  EXPECT_GT(tight.noc_latency().spill().packet().count(), 0u);
}

TEST(Capacity, ABufferSmallerThanOneBlockRowIsAnErrorOnItsField) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(3);  // fc1 block-row: 25,088 bits
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.pe.weight_buffer_kib");
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(4);
  EXPECT_EQ(testing::error_field_of(sc), "(no error)");

  // A PD conv block-row is p = 4 output channels: 4 x 14 x 14 values after pooling, 32 bits each.
  models::ArchitectureOptions o;
  o.conv_channels = {4, 8};
  o.conv_kernel = 3;
  o.conv_block_size = 4;
  o.hidden = {32};
  o.block_sizes = {4};
  const config::ModelFile cnn = models::build_architecture("cnn", o);
  sc = default_study();
  sc.mutable_accelerator()->mutable_pe()->set_activation_buffer_kib(1);
  try {
    run(sc, cnn);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.pe.activation_buffer_kib");
    EXPECT_NE(std::string(e.what()).find("block-row"), std::string::npos);
  }
}

}  // namespace
}  // namespace nocsim::pe
