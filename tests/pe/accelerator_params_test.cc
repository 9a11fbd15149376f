// Numeric accelerator fields are range-checked before a run, so that no value within the ranges
// can overflow the cycle and bit arithmetic (issue 14: a tiny DRAM bandwidth made inference
// faster).
#include "pe/accelerator_params.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "configs/user_error.h"
#include "noc/sim_params.h"
#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

std::string error_field(const std::function<void(config::Scenario&)>& edit) {
  config::Scenario sc = testing::default_study();
  edit(sc);
  try {
    AcceleratorParams::from_scenario(sc, noc::Topology::from_config(sc.noc().topology()));
  } catch (const UserError& e) {
    return e.field();
  }
  return "";
}

TEST(AcceleratorParams, DefaultStudyIsInRange) {
  EXPECT_EQ(error_field([](config::Scenario&) {}), "");
}

TEST(AcceleratorParams, ValuesThatWouldOverflowCycleArithmeticAreRefused) {
  const std::pair<std::function<void(config::Scenario&)>, std::string> cases[] = {
      {[](config::Scenario& s) {
         s.mutable_accelerator()->mutable_dram()->set_bandwidth_gb_per_s(1e-12);
       },
       "accelerator.dram.bandwidth_gb_per_s"},
      {[](config::Scenario& s) {
         s.mutable_accelerator()->mutable_dram()->set_bandwidth_gb_per_s(1e300);
       },
       "accelerator.dram.bandwidth_gb_per_s"},
      {[](config::Scenario& s) {
         s.mutable_accelerator()->mutable_dram()->set_latency_cycles(4'000'000'000u);
       },
       "accelerator.dram.latency_cycles"},
      {[](config::Scenario& s) { s.mutable_tech()->set_clock_ghz(1e30); }, "tech.clock_ghz"},
      {[](config::Scenario& s) {
         s.mutable_tech()->set_clock_ghz(std::numeric_limits<double>::infinity());
       },
       "tech.clock_ghz"},
      {[](config::Scenario& s) {
         s.mutable_accelerator()->mutable_pe()->set_macs_per_cycle(4'000'000'000u);
       },
       "accelerator.pe.macs_per_cycle"},
      {[](config::Scenario& s) {
         s.mutable_sim()->set_max_cycles(std::numeric_limits<uint64_t>::max());
       },
       "sim.max_cycles"},
      {[](config::Scenario& s) { s.mutable_sim()->set_watchdog_cycles(noc::kMaxSimCycles + 1); },
       "sim.watchdog_cycles"},
  };
  for (const auto& [edit, field] : cases) EXPECT_EQ(error_field(edit), field);
  EXPECT_EQ(error_field([](config::Scenario& s) {
              s.mutable_accelerator()->mutable_dram()->set_bandwidth_gb_per_s(0.001);
            }),
            "");
}

}  // namespace
}  // namespace nocsim::pe
