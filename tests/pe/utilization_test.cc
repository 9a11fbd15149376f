// Which resource bounds a run: each kind's busiest unit, over the run and in steady state.
#include <gtest/gtest.h>

#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;

config::Scenario streaming(uint32_t images) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_images(images);
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(8);  // weights refetched
  return sc;
}

TEST(Utilization, ASlowDramIsBusyAllTheTimeAndNamedTheBound) {
  // Enough images for the stream to dominate its fill and drain.
  config::Scenario sc = streaming(12);
  sc.mutable_accelerator()->mutable_dram()->set_bandwidth_gb_per_s(0.5);
  const config::AcceleratorResult r = run(sc, testing::pd_mlp());
  const config::Utilization& u = r.steady().utilization();
  EXPECT_EQ(u.bound(), "dram");
  EXPECT_GT(u.dram(), 0.9) << u.DebugString();
  EXPECT_LE(u.dram(), 1.0);
  EXPECT_LT(u.mac(), 0.05);
  EXPECT_EQ(r.utilization().bound(), "dram");
}

TEST(Utilization, AOneMacTileWithAFastMemoryIsComputeBound) {
  config::Scenario sc = streaming(4);
  sc.mutable_accelerator()->mutable_dram()->set_bandwidth_gb_per_s(1000);
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(1024);  // weights stay
  sc.mutable_accelerator()->mutable_pe()->set_macs_per_cycle(1);
  const config::AcceleratorResult r = run(sc, testing::pd_mlp());
  const config::Utilization& u = r.steady().utilization();
  EXPECT_EQ(u.bound(), "mac");
  EXPECT_GT(u.mac(), 0.8);
  // Resident weights: nothing to decode after the first image.
  EXPECT_EQ(u.decoder(), 0.0);
}

TEST(Utilization, EveryFigureIsAFractionAndOneImageHasNoSteadyState) {
  const config::AcceleratorResult r = run(streaming(1), testing::pd_mlp());
  const config::Utilization& u = r.utilization();
  for (double v : {u.dram(), u.injection(), u.link(), u.decoder(), u.mac()}) {
    EXPECT_GE(v, 0.0);
    EXPECT_LE(v, 1.0);
  }
  EXPECT_GT(u.decoder(), 0.0);  // the cold start decodes every weight
  EXPECT_FALSE(r.steady().has_utilization());
}

}  // namespace
}  // namespace nocsim::pe
