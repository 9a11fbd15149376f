// The memory estimate of a NoC run: refuses runs above sim.max_memory_mb before building anything,
// bounds what a saturated run really uses, and the source-queue bound stops a saturated run with a
// verdict instead of growing until std::bad_alloc.
#include "noc/memory_estimate.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "configs/user_error.h"
#include "noc/simulation.h"
#include "noc/topologies/topology_builder.h"
#include "tests/noc/mesh_config.h"
#include "tests/noc/topologies/small_topology.h"

namespace nocsim::noc {
namespace {

using testing::xy_mesh;

uint64_t estimate(const config::NocConfig& noc, uint64_t queued = 1000) {
  return estimate_run_memory(noc, RouterParams::from_config(noc.router()), queued).total_bytes;
}

TEST(MemoryEstimate, GrowsWithTheNetworkItsBuffersAndTheQueueBound) {
  EXPECT_LT(estimate(xy_mesh(8)), estimate(xy_mesh(16)));
  EXPECT_LT(estimate(xy_mesh(16)), estimate(xy_mesh(16, 4)));
  EXPECT_LT(estimate(xy_mesh(16)), estimate(xy_mesh(16, 2, 32)));
  EXPECT_LT(estimate(xy_mesh(16), 1000), estimate(xy_mesh(16), 1'000'000));
  // A mistyped radix is refused by the topology's own range check, not turned into a wrapped
  // small estimate; the largest radix gives a large one.
  EXPECT_THROW(estimate(xy_mesh(4'000'000'000u)), UserError);
  EXPECT_GT(estimate(xy_mesh(1024, 32, 1024)), uint64_t{1} << 40);
}

// The estimate counts what the topology builder would build: for every registered kind, the
// routers, ports and channels of the built topology.
TEST(MemoryEstimate, CountsThePortsAndChannelsOfEveryTopology) {
  for (const std::string& kind : topology_registry().names()) {
    for (const bool tall : {false, true}) {
      config::NocConfig noc = xy_mesh(1);
      *noc.mutable_topology() = testing::small_topology_config(kind);
      if (tall) noc.mutable_topology()->set_k_y(1);  // a ring of one row / a line
      const Topology t = Topology::from_config(noc.topology());
      const MemoryEstimate e = estimate_run_memory(noc, RouterParams::from_config(noc.router()), 0);
      EXPECT_EQ(e.routers, t.num_routers()) << kind;
      EXPECT_EQ(e.ports, t.total_ports()) << kind;
      EXPECT_EQ(e.channels, t.channels().size()) << kind;
    }
  }
}

// The estimate used to assume 5 ports per router: a concentrated mesh with 16 terminals per router
// has 20, each with its VCs and buffers.
TEST(MemoryEstimate, AConcentratedMeshCountsAPortPerTerminal) {
  config::NocConfig cmesh = xy_mesh(16);
  cmesh.mutable_topology()->set_kind("cmesh");
  cmesh.mutable_topology()->set_concentration(16);
  const RouterParams router = RouterParams::from_config(cmesh.router());
  const MemoryEstimate e = estimate_run_memory(cmesh, router, 0);
  EXPECT_EQ(e.routers, 256u);
  EXPECT_EQ(e.ports, 256u * 20);
  EXPECT_EQ(e.buffer_slots, 256u * 20 * router.num_vcs * router.vc_buf_size);
  const MemoryEstimate plain = estimate_run_memory(xy_mesh(16), router, 0);
  EXPECT_EQ(plain.ports, 256u * 5);
  EXPECT_GT(e.network_bytes, 3 * plain.network_bytes);
  // Torus: every router has four links, also on the border.
  config::NocConfig torus = xy_mesh(8);
  torus.mutable_topology()->set_kind("torus");
  EXPECT_EQ(estimate_run_memory(torus, router, 0).channels, 4u * 64);
  EXPECT_EQ(estimate_run_memory(xy_mesh(8), router, 0).channels, 2u * 2 * 8 * 7);
}

TEST(MemoryEstimate, RunAboveTheLimitIsRefusedBeforeAnythingIsBuilt) {
  // A 1024x1024 mesh used to grow to 5.8 GB with no progress.
  config::SimConfig sim;
  sim.set_max_memory_mb(2000);
  config::TrafficConfig traffic;
  traffic.set_injection_rate(0.1);
  const auto start = std::chrono::steady_clock::now();
  try {
    run_traffic(xy_mesh(1024), traffic, sim, config::TechConfig());
    FAIL() << "a 1024x1024 run fitted in 2000 MB";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "sim.max_memory_mb");
    EXPECT_NE(e.reason().find("1048576 routers"), std::string::npos) << e.what();
  }
  // Refused from the config alone: no topology, network or deadlock check was built.
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
  EXPECT_GE(SimParams::from_config(config::SimConfig()).max_memory_mb, 1u);
}

TEST(MemoryEstimate, SaturatedRunStopsAtTheQueueBoundWithinItsEstimate) {
  // 32x32 far past saturation with a latency threshold that never fires: the source queues used to
  // grow until std::bad_alloc. Now the run stops with a saturation verdict.
  config::SimConfig sim;
  sim.set_latency_threshold(1e9);
  sim.set_max_queued_packets(200'000);
  config::TrafficConfig traffic;
  traffic.set_injection_rate(0.9);
  const config::NocResult r = run_traffic(xy_mesh(32), traffic, sim, config::TechConfig());
  EXPECT_TRUE(r.saturated());
  EXPECT_EQ(r.saturation_reason(), "source queues above sim.max_queued_packets");
  EXPECT_LT(r.cycles(), 100'000u);
  // ctest runs each case in its own process, so the peak RSS is this run's (plus the test binary).
  // Under the sanitizers shadow memory and the free-list quarantine triple it (37 MB -> 113 MB
  // here), so the bound is only meaningful in a plain build.
  if (std::getenv("NOCSIM_SANITIZED") != nullptr) return;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const uint64_t peak = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  EXPECT_LE(peak, estimate(xy_mesh(32), 200'000)) << "peak RSS " << (peak >> 20) << " MB";
}

TEST(MemoryEstimate, UnsaturatedRunHasNoSaturationReason) {
  config::SimConfig sim;
  config::TrafficConfig traffic;
  traffic.set_injection_rate(0.05);
  const config::NocResult r = run_traffic(xy_mesh(4), traffic, sim, config::TechConfig());
  EXPECT_FALSE(r.saturated());
  EXPECT_EQ(r.saturation_reason(), "");
}

}  // namespace
}  // namespace nocsim::noc
