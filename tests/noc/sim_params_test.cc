#include "noc/sim_params.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "configs/user_error.h"

namespace nocsim::noc {
namespace {

std::string error_field(const config::SimConfig& cfg) {
  try {
    SimParams::from_config(cfg);
  } catch (const UserError& e) {
    return e.field();
  }
  return "";
}

TEST(SimParams, UnsetFieldsTakeBookSimsDefaults) {
  const SimParams p = SimParams::from_config(config::SimConfig());
  EXPECT_EQ(p.warmup_periods, 3u);
  EXPECT_EQ(p.sample_period, 1000u);
  EXPECT_EQ(p.max_samples, 10u);
  EXPECT_DOUBLE_EQ(p.convergence, 0.05);
  EXPECT_EQ(p.max_cycles, 1'000'000u);
  EXPECT_EQ(p.watchdog_cycles, 10'000u);
  EXPECT_DOUBLE_EQ(p.latency_threshold, 500);
}

TEST(SimParams, ExplicitValuesAreTakenAndZeroWarmupIsAllowed) {
  config::SimConfig cfg;
  cfg.set_warmup_periods(0);
  cfg.set_sample_period(250);
  cfg.set_max_samples(4);
  const SimParams p = SimParams::from_config(cfg);
  EXPECT_EQ(p.warmup_periods, 0u);
  EXPECT_EQ(p.sample_period, 250u);
  EXPECT_EQ(p.max_samples, 4u);
}

TEST(SimParams, ExplicitZerosAndOutOfRangeValuesNameTheirField) {
  const std::pair<std::function<void(config::SimConfig&)>, std::string> cases[] = {
      {[](config::SimConfig& c) { c.set_sample_period(0); }, "sim.sample_period"},
      {[](config::SimConfig& c) { c.set_max_samples(0); }, "sim.max_samples"},
      {[](config::SimConfig& c) { c.set_max_cycles(0); }, "sim.max_cycles"},
      {[](config::SimConfig& c) { c.set_watchdog_cycles(0); }, "sim.watchdog_cycles"},
      {[](config::SimConfig& c) { c.set_convergence(0); }, "sim.convergence"},
      {[](config::SimConfig& c) { c.set_convergence(1.5); }, "sim.convergence"},
      {[](config::SimConfig& c) { c.set_latency_threshold(0); }, "sim.latency_threshold"},
      {[](config::SimConfig& c) { c.set_max_samples(3); }, "sim.max_samples"},   // <= warm-up
      {[](config::SimConfig& c) { c.set_max_cycles(2000); }, "sim.max_cycles"},  // < warm-up
  };
  for (const auto& [mutate, field] : cases) {
    config::SimConfig cfg;
    mutate(cfg);
    EXPECT_EQ(error_field(cfg), field);
  }
}

TEST(SimParams, CycleCountsNearTwoToThe64AreRefusedNotWrapped) {
  constexpr uint64_t kHuge = std::numeric_limits<uint64_t>::max();
  const std::pair<std::function<void(config::SimConfig&)>, std::string> cases[] = {
      // warm-up (3000) + 2^64 - 1 used to wrap to 2999 and pass the max-cycles check.
      {[](config::SimConfig& c) { c.set_fixed_cycles(kHuge); }, "sim.fixed_cycles"},
      {[](config::SimConfig& c) {
         c.set_fixed_cycles(kHuge);
         c.set_max_cycles(kHuge);
       },
       "sim.max_cycles"},
      {[](config::SimConfig& c) { c.set_max_cycles(kMaxSimCycles + 1); }, "sim.max_cycles"},
      {[](config::SimConfig& c) { c.set_watchdog_cycles(kHuge); }, "sim.watchdog_cycles"},
      {[](config::SimConfig& c) { c.set_latency_threshold(1e300); }, "sim.latency_threshold"},
      {[](config::SimConfig& c) { c.set_fixed_cycles(kMaxSimCycles); }, "sim.max_cycles"},
  };
  for (const auto& [mutate, field] : cases) {
    config::SimConfig cfg;
    mutate(cfg);
    EXPECT_EQ(error_field(cfg), field);
  }
  config::SimConfig ok;
  ok.set_fixed_cycles(kMaxSimCycles - 3000);
  ok.set_max_cycles(kMaxSimCycles);
  EXPECT_EQ(error_field(ok), "");
}

}  // namespace
}  // namespace nocsim::noc
