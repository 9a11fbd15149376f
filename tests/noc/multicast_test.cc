// Multicast: tree forks in the routers (dimension order on meshes) and unicast copies from the
// source interface. Every destination gets every flit once and in order, credits come home, a
// broadcast costs about one unicast to its farthest destination, and coupled trees are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "noc/allocator.h"
#include "noc/network.h"

namespace nocsim::noc {
namespace {

config::NocConfig multicast_mesh(uint32_t k, const std::string& mode = "tree", uint32_t vcs = 2,
                                 uint32_t buf = 8, const std::string& allocator = "") {
  config::NocConfig cfg;
  cfg.mutable_topology()->set_k_x(k);
  cfg.mutable_router()->set_num_vcs(vcs);
  cfg.mutable_router()->set_vc_buf_size(buf);
  cfg.mutable_multicast()->set_mode(mode);
  cfg.mutable_allocator()->set_name(allocator);
  return cfg;
}

// Follows every packet: which terminals still wait for which flit, and which have their tail.
class Tracker {
 public:
  void sent(const PacketSpec& p) {
    Packet& pk = packets_[p.tag];
    pk.size = p.size_flits;
    if (p.dests.empty()) {
      pk.next[p.dest] = 0;
    } else {
      for (uint32_t d : p.dests) pk.next[d] = 0;
    }
    pk.waiting = pk.next.size();
    flits_expected_ += uint64_t(p.size_flits) * pk.next.size();
  }
  void observe(const Network& net) {
    for (const FlitEjection& f : net.ejected_flits()) {
      ++flits_seen_;
      auto it = packets_.find(f.tag);
      ASSERT_NE(it, packets_.end()) << "flit of unknown or finished packet " << f.tag;
      auto d = it->second.next.find(f.terminal);
      ASSERT_NE(d, it->second.next.end())
          << "packet " << f.tag << " reached terminal " << f.terminal << ", not a destination";
      ASSERT_EQ(f.seq, d->second) << "flit out of order or duplicated at " << f.terminal;
      ++d->second;
    }
    for (const Delivery& del : net.delivered()) {
      auto it = packets_.find(del.tag);
      ASSERT_NE(it, packets_.end()) << "packet delivered after it was complete: " << del.tag;
      Packet& pk = it->second;
      ASSERT_EQ(pk.next.at(del.dest), pk.size) << "tail before all flits at " << del.dest;
      pk.next[del.dest] = pk.size + 1;  // a second delivery here fails the check above
      --pk.waiting;
      ASSERT_EQ(del.last, pk.waiting == 0) << "last flag wrong for packet " << del.tag;
      pk.max_hops = std::max(pk.max_hops, del.hops);
      // The packet's hops are its farthest destination's, whichever tail came last.
      ASSERT_EQ(del.packet_hops, del.last ? pk.max_hops : del.hops)
          << "packet hops of packet " << del.tag;
      if (del.last) packets_.erase(it);
    }
  }
  bool done() const { return packets_.empty(); }
  uint64_t flits_expected() const { return flits_expected_; }
  uint64_t flits_seen() const { return flits_seen_; }

 private:
  struct Packet {
    uint32_t size = 0;
    size_t waiting = 0;
    uint32_t max_hops = 0;              // over the destinations delivered so far
    std::map<uint32_t, uint32_t> next;  // destination -> next flit seq expected
  };
  std::map<uint64_t, Packet> packets_;
  uint64_t flits_expected_ = 0, flits_seen_ = 0;
};

// Random unicast and multicast traffic, then a drain; checks the Tracker's invariants.
void check_random_traffic(const config::NocConfig& cfg, double rate, uint64_t seed) {
  Network net(cfg);
  const uint32_t n = net.num_terminals();
  const uint32_t max_flits = net.max_multicast_flits();
  Rng rng(seed);
  Tracker tracker;
  uint64_t tag = 0;
  std::vector<uint32_t> dests;
  for (int cycle = 0; cycle < 2000; ++cycle) {
    for (uint32_t s = 0; s < n; ++s) {
      if (!rng.bernoulli(rate)) continue;
      PacketSpec p{s, rng.below(n), 1 + rng.below(max_flits), 0, tag++};
      dests.clear();
      if (rng.bernoulli(0.3)) {
        const uint32_t k = 2 + rng.below(n - 2);
        for (uint32_t d = 0; d < n && dests.size() < k; ++d)
          if (d != s && rng.bernoulli(double(k) / n)) dests.push_back(d);
        if (dests.size() >= 2) p.dests = dests;
      }
      tracker.sent(p);
      net.inject(p);
    }
    net.step();
    tracker.observe(net);
    if (::testing::Test::HasFatalFailure()) return;
  }
  for (int i = 0; i < 200000 && !net.empty(); ++i) {
    net.step();
    tracker.observe(net);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_TRUE(net.empty());
  EXPECT_TRUE(tracker.done());
  EXPECT_EQ(tracker.flits_seen(), tracker.flits_expected());
  for (int i = 0; i < 10; ++i) net.step();
  EXPECT_TRUE(net.credits_restored());
}

TEST(Multicast, EveryDestinationGetsEveryFlitOnceInOrderAndCreditsComeHome) {
  for (const std::string& allocator : allocator_registry().names()) {
    for (const char* mode : {"tree", "unicast"}) {
      SCOPED_TRACE(allocator + " " + mode);
      check_random_traffic(multicast_mesh(4, mode, 2, 8, allocator), 0.03, 7);
      check_random_traffic(multicast_mesh(6, mode, 3, 4, allocator), 0.02,
                           8);  // packets up to 4 flits
      check_random_traffic(multicast_mesh(4, mode, 1, 2, allocator), 0.08,
                           9);  // overloaded, one VC
      check_random_traffic(multicast_mesh(8, mode, 2, 8, allocator), 0.05, 10);  // saturated 8x8
    }
  }
}

TEST(Multicast, TreesNeedARuleOtherwiseTheInterfaceSendsCopies) {
  EXPECT_TRUE(Network(multicast_mesh(4)).multicast_tree());
  EXPECT_FALSE(Network(multicast_mesh(4, "unicast")).multicast_tree());
  config::NocConfig adaptive = multicast_mesh(4);
  adaptive.mutable_routing()->set_algorithm("odd_even");
  EXPECT_FALSE(Network(adaptive).multicast_tree());
  check_random_traffic(adaptive, 0.03, 3);
  config::NocConfig torus = multicast_mesh(4);
  torus.mutable_topology()->set_kind("torus");
  EXPECT_FALSE(Network(torus).multicast_tree());
  check_random_traffic(torus, 0.03, 4);
}

// Cycles from creation to the last destination's tail for one packet in an idle network.
uint64_t zero_load(const config::NocConfig& cfg, uint32_t source, std::vector<uint32_t> dests,
                   uint32_t flits, uint64_t* link_flits = nullptr) {
  Network net(cfg);
  PacketSpec p{source, dests.size() == 1 ? dests[0] : 0, flits, 0, 1};
  if (dests.size() > 1) p.dests = dests;
  net.inject(p);
  const uint64_t created = net.cycle();
  while (!net.empty()) net.step();
  if (link_flits) {
    *link_flits = 0;
    for (uint64_t c : net.counters().channel_flits) *link_flits += c;
  }
  return net.cycle() - 1 - created;
}

std::vector<uint32_t> everyone_but(uint32_t n, uint32_t source) {
  std::vector<uint32_t> d;
  for (uint32_t t = 0; t < n; ++t)
    if (t != source) d.push_back(t);
  return d;
}

TEST(Multicast, BroadcastZeroLoadLatencyEqualsTheFarthestUnicast) {
  const config::NocConfig cfg = multicast_mesh(8);
  const uint32_t source = 3 * 8 + 2;  // (2, 3): the farthest destination is (7, 7) at 9 hops
  const uint32_t farthest = 7 * 8 + 7;
  for (uint32_t flits : {1u, 4u, 8u}) {
    const uint64_t unicast = zero_load(cfg, source, {farthest}, flits);
    const uint64_t broadcast = zero_load(cfg, source, everyone_but(64, source), flits);
    // 5 cycles per router crossed + 2 for injection + L - 1 for the tail, for both.
    EXPECT_EQ(unicast, 5 * 10 + 2 + flits - 1);
    EXPECT_EQ(broadcast, unicast) << flits << " flits";
  }
}

TEST(Multicast, BroadcastTakesAboutOnePacketTimeNotOnePerDestination) {
  const uint32_t flits = 8, source = 0;
  uint64_t tree_links = 0, copy_links = 0;
  const uint64_t tree =
      zero_load(multicast_mesh(8), source, everyone_but(64, source), flits, &tree_links);
  const uint64_t copies =
      zero_load(multicast_mesh(8, "unicast"), source, everyone_but(64, source), flits, &copy_links);
  const uint64_t farthest = zero_load(multicast_mesh(8), source, {63}, flits);
  EXPECT_EQ(tree, farthest);
  EXPECT_EQ(farthest, 5u * 15 + 2 + flits - 1);  // 15 routers from corner to corner
  // The interface sends one flit per cycle, so 63 copies of 8 flits need at least 504 cycles.
  EXPECT_GE(copies, 63u * flits);
  // A broadcast tree crosses every router but the source's once: 63 links, each flit once.
  EXPECT_EQ(tree_links, 63u * flits);
  uint64_t hops = 0;
  for (uint32_t t = 1; t < 64; ++t) hops += t % 8 + t / 8;
  EXPECT_EQ(copy_links, hops * flits);
}

TEST(Multicast, ForksThatCanOutgrowTheirBufferAreRefusedAsDeadlockProne) {
  config::NocConfig cfg = multicast_mesh(4, "tree", 2, 4);
  cfg.mutable_multicast()->set_max_packet_flits(8);
  try {
    Network net(cfg);
    FAIL() << "coupled multicast trees were accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("noc.multicast.max_packet_flits"), std::string::npos)
        << e.what();
  }
  // Unicast copies never fork, and allow_deadlock_prone runs the tree anyway.
  cfg.mutable_multicast()->set_mode("unicast");
  EXPECT_NO_THROW(Network{cfg});
  cfg.mutable_multicast()->set_mode("tree");
  cfg.mutable_routing()->set_allow_deadlock_prone(true);
  EXPECT_NO_THROW(Network{cfg});
}

TEST(Multicast, BadDestinationSetsAreUserErrors) {
  Network net(multicast_mesh(4));
  auto refused = [&](std::vector<uint32_t> dests, uint32_t flits, const char* field) {
    PacketSpec p{0, 0, flits, 0, 1};
    p.dests = dests;
    try {
      net.inject(p);
      ADD_FAILURE() << "accepted";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  refused({1, 1}, 1, "packet.dests");
  refused({0, 2}, 1, "packet.dests");
  refused({1, 99}, 1, "packet.dests");
  refused({1, 2}, 9, "packet.size_flits");
  EXPECT_TRUE(net.empty());
  EXPECT_THROW(Network(multicast_mesh(4, "broadcast")), UserError);
}

}  // namespace
}  // namespace nocsim::noc
