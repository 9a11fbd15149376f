// Properties that must hold for any traffic: no flit lost or duplicated, flits of a packet arrive
// in order, every credit comes home, and runs are reproducible from their seed.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "configs/rng.h"
#include "noc/allocator.h"
#include "noc/network.h"
#include "noc/routing/routing_algorithm.h"
#include "noc/simulation.h"

namespace nocsim::noc {
namespace {

struct Case {
  std::string kind;
  uint32_t k;
  uint32_t vcs, buf;
  std::string routing;
  double packets_per_node_cycle;
  uint32_t max_size;
};

void check_conservation(const Case& c, uint64_t seed, const std::string& allocator = "") {
  SCOPED_TRACE(c.kind + " " + std::to_string(c.k) + " " + c.routing + " vcs " +
               std::to_string(c.vcs) + " buf " + std::to_string(c.buf) + " allocator " + allocator);
  config::NocConfig cfg;
  cfg.mutable_allocator()->set_name(allocator);
  cfg.mutable_topology()->set_kind(c.kind);
  cfg.mutable_topology()->set_k_x(c.k);
  cfg.mutable_router()->set_num_vcs(c.vcs);
  cfg.mutable_router()->set_vc_buf_size(c.buf);
  cfg.mutable_routing()->set_algorithm(c.routing);
  Network net(cfg);
  const uint32_t n = net.num_terminals();
  Rng rng(seed);
  std::map<uint64_t, PacketSpec> sent;
  std::map<uint64_t, uint32_t> next_seq;  // per tag: the flit expected next
  uint64_t tag = 0, flits_sent = 0, flits_seen = 0;
  auto observe = [&] {
    for (const FlitEjection& f : net.ejected_flits()) {
      ++flits_seen;
      ASSERT_TRUE(sent.count(f.tag)) << "flit of unknown or finished packet " << f.tag;
      ASSERT_EQ(f.seq, next_seq[f.tag]) << "flit out of order in packet " << f.tag;
      ++next_seq[f.tag];
    }
    for (const Delivery& d : net.delivered()) {
      auto it = sent.find(d.tag);
      ASSERT_NE(it, sent.end()) << "packet delivered twice or never sent: " << d.tag;
      EXPECT_EQ(d.dest, it->second.dest);
      EXPECT_EQ(d.source, it->second.source);
      EXPECT_EQ(next_seq[d.tag], it->second.size_flits) << "tail before all flits";
      sent.erase(it);
      next_seq.erase(d.tag);
    }
  };
  for (int cycle = 0; cycle < 3000; ++cycle) {
    for (uint32_t s = 0; s < n; ++s) {
      if (!rng.bernoulli(c.packets_per_node_cycle)) continue;
      PacketSpec p{s, rng.below(n), 1 + rng.below(c.max_size), rng.below(3), tag++};
      sent[p.tag] = p;
      flits_sent += p.size_flits;
      net.inject(p);
    }
    net.step();
    observe();
    if (::testing::Test::HasFatalFailure()) return;
  }
  for (int i = 0; i < 200000 && !net.empty(); ++i) {
    net.step();
    observe();
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_TRUE(net.empty());
  EXPECT_TRUE(sent.empty()) << sent.size() << " packets never delivered";
  EXPECT_EQ(flits_seen, flits_sent);
  for (int i = 0; i < 10; ++i) net.step();  // let the last credits fly home
  EXPECT_TRUE(net.credits_restored());
  EXPECT_EQ(net.counters().buffer_writes, net.counters().buffer_reads);
}

TEST(FlowControl, NoFlitLostDuplicatedOrReorderedAndCreditsComeHome) {
  const std::vector<Case> cases = {
      {"mesh", 4, 2, 8, "xy", 0.05, 6},  // moderate load, multi-flit
      {"mesh", 4, 1, 2, "xy", 0.2, 8},   // overloaded, tiny buffers, one VC
      {"mesh", 8, 4, 4, "xy", 0.08, 4},  // more VCs than needed
      {"torus", 4, 2, 4, "xy", 0.1, 5},  // datelines
      {"mesh", 4, 16, 2, "xy", 0.3, 4},  // 80 VCs per router: wider than one 64-bit VC set
  };
  for (const std::string& allocator : allocator_registry().names())
    for (const Case& c : cases) check_conservation(c, 11, allocator);
}

TEST(FlowControl, AdaptiveRoutingConservesFlitsToo) {
  for (const char* name : {"odd_even", "west_first", "north_last", "negative_first"}) {
    if (routing_registry().find(name) == nullptr) continue;
    for (const std::string& allocator : allocator_registry().names())
      check_conservation({"mesh", 6, 2, 4, name, 0.1, 4}, 5, allocator);
  }
}

config::NocResult run_uniform(uint64_t seed, double rate = 0.2) {
  config::NocConfig noc;
  noc.mutable_topology()->set_k_x(4);
  config::TrafficConfig traffic;
  traffic.set_pattern("uniform");
  traffic.set_injection_rate(rate);
  traffic.set_packet_size(2);
  config::SimConfig sim;
  sim.set_seed(seed);
  sim.set_sample_period(500);
  return run_traffic(noc, traffic, sim, config::TechConfig());
}

TEST(Determinism, SameSeedGivesIdenticalResults) {
  auto a = run_uniform(42), b = run_uniform(42);
  a.clear_wall_seconds();
  b.clear_wall_seconds();
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

TEST(Determinism, DifferentSeedsDiffer) {
  auto a = run_uniform(1), b = run_uniform(2);
  EXPECT_NE(a.packet_latency().mean(), b.packet_latency().mean());
  EXPECT_NE(a.flits_delivered(), b.flits_delivered());
}

}  // namespace
}  // namespace nocsim::noc
