// The timing model in general, not only at the reference point (1-flit packets, 2 VCs): numbers
// derived by hand from the pipeline of router_params.h, which the engine must hit exactly.
//
// Credit loop: a flit granted the switch at cycle s is buffered downstream at s + 3 (switch
// traversal, link, channel register); a body flit may win the downstream switch in its arrival
// cycle, and the credit for the slot it frees is usable upstream link + 1 + credit_delay cycles
// later. A buffer slot is therefore reused every 5 + credit_delay cycles, so one packet streaming
// through VCs of vc_buf_size B moves min(1, B / (5 + credit_delay)) flits per cycle.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "noc/network.h"
#include "noc/simulation.h"
#include "tests/noc/mesh_config.h"

namespace nocsim::noc {
namespace {

using testing::xy_mesh;

// Ejection cycle of every flit of one packet sent alone through an empty network.
std::vector<uint64_t> stream(const config::NocConfig& cfg, uint32_t src, uint32_t dst,
                             uint32_t flits) {
  Network net(cfg);
  net.inject({src, dst, flits, 0, 1});
  std::vector<uint64_t> cycles;
  for (int i = 0; i < 100000 && !net.empty(); ++i) {
    net.step();
    for (const FlitEjection& f : net.ejected_flits()) cycles.push_back(f.cycle);
  }
  return cycles;
}

// Flits ejected in the 100 cycles starting 20 cycles after the head (past the start-up transient).
int steady_flits_per_100_cycles(const std::vector<uint64_t>& cycles) {
  const uint64_t from = cycles.front() + 20, to = from + 100;
  return static_cast<int>(
      std::count_if(cycles.begin(), cycles.end(), [&](uint64_t c) { return c >= from && c < to; }));
}

TEST(TimingModel, CreditRoundTripLimitsASingleFlow) {
  for (uint32_t buf : {1u, 2u, 3u, 4u, 5u, 8u}) {
    SCOPED_TRACE("vc_buf_size " + std::to_string(buf));
    // Four routers in a row, a 301-flit packet: its body streams through three links.
    const auto cycles = stream(xy_mesh(4, 2, buf), 0, 3, 301);
    ASSERT_EQ(cycles.size(), 301u);
    const double expected = 100.0 * std::min(1.0, buf / 5.0);
    EXPECT_NEAR(steady_flits_per_100_cycles(cycles), expected, 1.0);
  }
}

TEST(TimingModel, CreditDelayLengthensTheLoop) {
  // credit_delay 2: the loop takes 7 cycles; 4 slots give 4/7 flit per cycle, 7 slots the full
  // rate.
  EXPECT_NEAR(steady_flits_per_100_cycles(stream(xy_mesh(4, 2, 4, 2), 0, 3, 301)), 400.0 / 7, 1.0);
  EXPECT_NEAR(steady_flits_per_100_cycles(stream(xy_mesh(4, 2, 7, 2), 0, 3, 301)), 100.0, 1.0);
}

TEST(TimingModel, ZeroLoadLatencyIsIndependentOfVcCountAndAddsSerialisation) {
  for (uint32_t vcs : {1u, 2u, 4u, 8u}) {
    for (uint32_t size : {1u, 4u, 9u}) {
      SCOPED_TRACE("vcs " + std::to_string(vcs) + " size " + std::to_string(size));
      // (1,1) -> (6,4) on 8x8: distance 8, so 9 routers; head 5 per router + 2, tail size - 1
      // cycles later.
      const auto cycles = stream(xy_mesh(8, vcs, 8), 8 * 1 + 1, 8 * 4 + 6, size);
      ASSERT_EQ(cycles.size(), size);
      EXPECT_EQ(cycles.front(), 5u * 9 + 2);
      EXPECT_EQ(cycles.back(), 5u * 9 + 2 + (size - 1));
    }
  }
}

TEST(TimingModel, LowLoadMultiFlitLatencyIsZeroLoadPlusSerialisation) {
  // With contention latency can only grow, so 5 * hops + 2 + (size - 1) is an exact lower bound of
  // the mean, and at 2% load the queueing on top of it stays small.
  for (uint32_t size : {4u, 8u}) {
    SCOPED_TRACE("packet_size " + std::to_string(size));
    config::TrafficConfig traffic;
    traffic.set_pattern("uniform");
    traffic.set_injection_rate(0.02);
    traffic.set_packet_size(size);
    const config::NocResult r =
        run_traffic(xy_mesh(8, 2, 8), traffic, config::SimConfig(), config::TechConfig());
    const double bound = 5 * r.avg_hops() + 2 + (size - 1);
    EXPECT_GE(r.packet_latency().mean(), bound - 1e-9);
    EXPECT_LT(r.packet_latency().mean(), 1.03 * bound);
    EXPECT_FALSE(r.saturated());
    // Every flit of a packet is delivered: accepted flits follow the offered load.
    EXPECT_NEAR(r.accepted_flits_per_node_cycle(), 0.02, 0.002);
  }
}

TEST(TimingModel, MoreVcsRaiseSaturationThroughput) {
  // Far past saturation the accepted rate is the saturation throughput; extra VCs relieve
  // head-of-line blocking, so 4 VCs must carry clearly more than 2 (0.297 in BookSim's curve).
  auto accepted = [](uint32_t vcs, uint32_t size) {
    config::TrafficConfig traffic;
    traffic.set_pattern("uniform");
    traffic.set_injection_rate(0.6);
    traffic.set_packet_size(size);
    config::SimConfig sim;
    sim.set_sample_period(500);
    sim.set_fixed_cycles(3000);
    return run_traffic(xy_mesh(8, vcs, 8), traffic, sim, config::TechConfig())
        .accepted_flits_per_node_cycle();
  };
  const double two = accepted(2, 1), four = accepted(4, 1), long_packets = accepted(2, 8);
  EXPECT_NEAR(two, 0.297, 0.02);
  EXPECT_GT(four, two + 0.02);
  // Uniform traffic loads the mesh bisection with k/4 flits per cycle per unit of injection rate,
  // so no configuration can accept more than 4/k = 0.5 on 8x8.
  for (double a : {two, four, long_packets}) EXPECT_LT(a, 0.5);
  // 8-flit packets go through VC allocation once per 8 flits instead of once per flit, which in
  // this router outweighs their longer VC holding: they saturate later than 1-flit packets.
  EXPECT_GT(long_packets, two);
}

}  // namespace
}  // namespace nocsim::noc
