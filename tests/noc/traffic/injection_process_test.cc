#include "noc/traffic/injection_process.h"

#include <string>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/simulation.h"

namespace nocsim::noc {
namespace {

config::TrafficConfig traffic(double rate, uint32_t packet_size = 1,
                              const std::string& process = "") {
  config::TrafficConfig cfg;
  cfg.set_injection_rate(rate);
  cfg.set_packet_size(packet_size);
  cfg.set_process(process);
  return cfg;
}

std::string error_field(const config::TrafficConfig& cfg) {
  try {
    InjectionProcess p(cfg);
  } catch (const UserError& e) {
    return e.field();
  }
  return "";
}

// Long-run flits per cycle of one terminal.
double measured_flit_rate(const InjectionProcess& p, uint64_t cycles, uint64_t seed) {
  Rng rng(seed);
  InjectionState s = p.initial_state(rng);
  uint64_t packets = 0;
  for (uint64_t c = 0; c < cycles; ++c) packets += p.packet_this_cycle(s, rng) ? 1 : 0;
  return static_cast<double>(packets * p.packet_size()) / static_cast<double>(cycles);
}

TEST(BernoulliInjection, CreatesPacketsWithProbabilityRateOverPacketSize) {
  const InjectionProcess p(traffic(0.3, 4));
  EXPECT_EQ(p.packet_size(), 4u);
  EXPECT_DOUBLE_EQ(p.packet_probability(), 0.075);
  // 200k cycles: standard error of the flit rate is about 0.004 * 4 / sqrt(...) ~ 0.0024.
  EXPECT_NEAR(measured_flit_rate(p, 200000, 1), 0.3, 0.01);
}

TEST(BernoulliInjection, UnsetPacketSizeIsOneAndZeroIsAnError) {
  config::TrafficConfig cfg;
  cfg.set_injection_rate(0.5);
  const InjectionProcess p(cfg);
  EXPECT_EQ(p.packet_size(), 1u);
  EXPECT_DOUBLE_EQ(p.packet_probability(), 0.5);
  EXPECT_EQ(error_field(traffic(0.5, 0, "bernoulli")), "traffic.packet_size");
}

TEST(BernoulliInjection, PacketSizeAboveTheNetworksLimitIsRefusedBeforeTheRun) {
  EXPECT_EQ(error_field(traffic(0.5, 65535)), "");
  EXPECT_EQ(error_field(traffic(0.5, 65536)), "traffic.packet_size");
  // Through a whole run: refused up front whatever the seed (it used to surface only when a
  // packet was created, naming a field that does not exist).
  config::NocConfig noc;
  noc.mutable_topology()->set_kind("mesh");
  noc.mutable_topology()->set_k_x(4);
  noc.mutable_topology()->set_k_y(4);
  for (uint64_t seed : {1, 2, 3}) {
    config::SimConfig sim;
    sim.set_seed(seed);
    try {
      run_traffic(noc, traffic(0.001, 70000), sim, config::TechConfig());
      ADD_FAILURE() << "seed " << seed << ": accepted a 70000-flit packet size";
    } catch (const UserError& e) {
      EXPECT_EQ(e.field(), "traffic.packet_size") << e.what();
    }
  }
}

TEST(BernoulliInjection, SameSeedSameSequence) {
  const InjectionProcess p(traffic(0.2));
  Rng a(7), b(7);
  InjectionState sa, sb;
  for (int c = 0; c < 1000; ++c) ASSERT_EQ(p.packet_this_cycle(sa, a), p.packet_this_cycle(sb, b));
}

TEST(InjectionProcess, RejectsBadRatesAndNames) {
  EXPECT_EQ(error_field(traffic(0.0)), "traffic.injection_rate");
  EXPECT_EQ(error_field(traffic(1.5)), "traffic.injection_rate");
  EXPECT_EQ(error_field(traffic(-0.1)), "traffic.injection_rate");
  EXPECT_EQ(error_field(traffic(1.0)), "");
  try {
    InjectionProcess p(traffic(0.1, 1, "poisson"));
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "traffic.process");
    EXPECT_NE(std::string(e.what()).find("valid names: bernoulli, bursty"), std::string::npos);
  }
}

TEST(BurstyInjection, LongRunAverageEqualsInjectionRate) {
  config::TrafficConfig cfg = traffic(0.2, 2, "bursty");
  cfg.mutable_bursty()->set_p_on_to_off(0.05);
  cfg.mutable_bursty()->set_p_off_to_on(0.05);  // on half the time
  const InjectionProcess p(cfg);
  EXPECT_DOUBLE_EQ(p.packet_probability(), 0.2);  // 0.4 flits/cycle while on, 2-flit packets
  // Bursts of ~20 cycles make the estimate noisier than Bernoulli: 400k cycles, several seeds.
  double sum = 0;
  for (uint64_t seed = 0; seed < 4; ++seed) sum += measured_flit_rate(p, 400000, seed);
  EXPECT_NEAR(sum / 4, 0.2, 0.01);
}

TEST(BurstyInjection, IsBurstierThanBernoulli) {
  config::TrafficConfig cfg = traffic(0.1, 1, "bursty");
  cfg.mutable_bursty()->set_p_on_to_off(0.02);
  cfg.mutable_bursty()->set_p_off_to_on(0.02);
  const InjectionProcess bursty(cfg);
  const InjectionProcess bernoulli(traffic(0.1));
  // Variance of packet counts over 100-cycle windows: on/off modulation inflates it well above the
  // binomial variance (100 * 0.1 * 0.9 = 9).
  auto window_variance = [](const InjectionProcess& p) {
    Rng rng(3);
    InjectionState s = p.initial_state(rng);
    double sum = 0, sum2 = 0;
    const int windows = 2000;
    for (int w = 0; w < windows; ++w) {
      int n = 0;
      for (int c = 0; c < 100; ++c) n += p.packet_this_cycle(s, rng) ? 1 : 0;
      sum += n;
      sum2 += static_cast<double>(n) * n;
    }
    const double mean = sum / windows;
    return sum2 / windows - mean * mean;
  };
  const double vb = window_variance(bernoulli);
  EXPECT_NEAR(vb, 9.0, 1.5);
  EXPECT_GT(window_variance(bursty), 3 * vb);
}

TEST(BurstyInjection, ValidatesProbabilities) {
  config::TrafficConfig cfg = traffic(0.1, 1, "bursty");
  EXPECT_EQ(error_field(cfg), "traffic.bursty.p_off_to_on");  // both unset
  cfg.mutable_bursty()->set_p_off_to_on(0.5);
  cfg.mutable_bursty()->set_p_on_to_off(1.5);
  EXPECT_EQ(error_field(cfg), "traffic.bursty.p_on_to_off");
  cfg.mutable_bursty()->set_p_on_to_off(0.5);
  cfg.mutable_bursty()->set_p_off_to_on(-0.5);
  EXPECT_EQ(error_field(cfg), "traffic.bursty.p_off_to_on");
  // On 10% of the time: a 0.5 average would need 5 flits per cycle while on.
  cfg.mutable_bursty()->set_p_on_to_off(0.9);
  cfg.mutable_bursty()->set_p_off_to_on(0.1);
  cfg.set_injection_rate(0.5);
  EXPECT_EQ(error_field(cfg), "traffic.injection_rate");
  cfg.set_injection_rate(0.1);
  EXPECT_EQ(error_field(cfg), "");
}

}  // namespace
}  // namespace nocsim::noc
