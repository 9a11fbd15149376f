// accelerator.multicast: the machine sends one payload to several tiles as NoC multicast; the
// results it computes stay those of the unicast machine and of the functional model.
#include <gtest/gtest.h>

#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;

config::AcceleratorResult with_multicast(bool on, uint32_t images, bool accuracy = false) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_multicast(on);
  sc.mutable_accelerator()->set_images(images);
  sc.mutable_accelerator()->set_accuracy_images(200);
  return run(sc, testing::pd_mlp(), accuracy);
}

TEST(Multicast, OnByDefault) {
  EXPECT_TRUE(run(default_study()).multicast());
}

TEST(Multicast, SameOutputsAndAccuracyAsUnicastCopies) {
  const config::AcceleratorResult on = with_multicast(true, 4, true);
  const config::AcceleratorResult off = with_multicast(false, 4, true);
  EXPECT_TRUE(on.multicast());
  EXPECT_FALSE(off.multicast());
  // Every simulated image's outputs equal the functional model's, in both machines.
  EXPECT_TRUE(on.outputs_match());
  EXPECT_TRUE(off.outputs_match());
  EXPECT_EQ(on.accuracy(), off.accuracy());
  EXPECT_EQ(on.baseline_accuracy(), off.baseline_accuracy());
  EXPECT_EQ(on.macs(), off.macs());
  EXPECT_EQ(on.weight_flits(), off.weight_flits());  // weights are per tile: unicast either way
}

TEST(Multicast, InjectsFewerFlitsAndFinishesSooner) {
  const config::AcceleratorResult on = with_multicast(true, 1);
  const config::AcceleratorResult off = with_multicast(false, 1);
  EXPECT_LT(on.flits_injected(), off.flits_injected());
  // Unicast: every flit injected is delivered once.
  EXPECT_EQ(off.flits_injected(), off.weight_flits() + off.activation_flits());
  // Multicast: a packet's flits are delivered at every destination.
  EXPECT_LT(on.flits_injected(), on.weight_flits() + on.activation_flits());
  EXPECT_LT(on.cycles(), off.cycles());
}

TEST(Multicast, RerunsAreBitIdentical) {
  config::AcceleratorResult a = with_multicast(true, 3);
  config::AcceleratorResult b = with_multicast(true, 3);
  a.clear_wall_seconds();
  b.clear_wall_seconds();
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

}  // namespace
}  // namespace nocsim::pe
