#pragma once
// The cycle-level network: routers, links and network interfaces of one topology, driven one cycle
// at a time. This is the whole API the layers above use (the synthetic-traffic driver in
// simulation.h and the accelerator co-simulation in pe/):
//
//   Network net(cfg.noc());
//   net.inject({.source = 3, .dest = 12, .size_flits = 4, .traffic_class = 1, .tag = 42});
//   while (!net.empty()) {
//     net.step();
//     for (const Delivery& d : net.delivered()) ...  // tails ejected during that cycle
//   }
//
// A packet is created at the current cycle and waits in its source terminal's unbounded queue
// until the network interface can send it (BookSim semantics: packet latency includes that wait).
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "configs/schema/noc.pb.h"
#include "noc/router_params.h"
#include "noc/topology.h"

namespace nocsim::noc {

// A packet's length is stored in 16 bits; per-class counters are a dense array indexed by class.
inline constexpr uint32_t kMaxPacketFlits = 65535;
inline constexpr uint32_t kMaxTrafficClasses = 256;

struct PacketSpec {
  uint32_t source = 0;  // terminal
  uint32_t dest = 0;    // unicast destination terminal (ignored when `dests` is not empty)
  uint32_t size_flits = 1;
  uint32_t traffic_class = 0;  // below kMaxTrafficClasses; per-class flit counts are kept
  uint64_t tag = 0;            // returned unchanged on delivery
  // Multicast: the destination terminals (distinct, the source excluded; copied by inject()).
  // Each destination gets every flit once and one Delivery. At most max_multicast_flits() flits.
  std::span<const uint32_t> dests = {};
};

// A packet whose tail flit reached a destination terminal: one per destination of a multicast
// packet, the final one with `last` set (then `injected` is the first copy's injection).
struct Delivery {
  uint64_t tag = 0;
  uint32_t source = 0;
  uint32_t dest = 0;
  uint32_t size_flits = 0;
  uint32_t traffic_class = 0;
  uint32_t hops = 0;  // routers traversed (BookSim's count: Manhattan distance + 1 on a mesh)
  // The packet's hops: `hops`, except in the final delivery of a multicast packet, where it is
  // the most of any of its destinations (the last tail of a cycle depends on the visiting order).
  uint32_t packet_hops = 0;
  uint64_t created = 0;   // cycle inject() was called
  uint64_t injected = 0;  // cycle the head flit left the source queue
  uint64_t delivered = 0;
  bool multicast = false;
  bool last = true;  // every destination of the packet has its tail
};

// One flit reaching its destination terminal (for flit latency statistics).
struct FlitEjection {
  uint64_t tag = 0;
  uint64_t created = 0;  // of its packet
  uint64_t cycle = 0;
  uint32_t seq = 0;       // position in its packet, 0 = head
  uint32_t terminal = 0;  // where it was ejected (a multicast packet's flits reach several)
};

// Event counts since construction; the energy model and the statistics take differences.
struct NetworkCounters {
  uint64_t buffer_writes = 0;
  uint64_t buffer_reads = 0;
  uint64_t crossbar_traversals = 0;
  uint64_t vc_allocations = 0;
  uint64_t sw_allocations = 0;
  uint64_t flits_injected = 0;
  uint64_t flits_ejected = 0;
  std::vector<uint64_t> channel_flits;        // per Topology::channels() entry
  std::vector<uint64_t> class_flits_ejected;  // per traffic class

  NetworkCounters since(const NetworkCounters& earlier) const;
};

// Thrown when no flit has moved for the watchdog period while packets are outstanding. The message
// lists what every blocked virtual channel holds and what it waits for.
class NetworkStalled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Network {
 public:
  // Builds topology, router parameters and routing from the config and, unless
  // noc.routing.allow_deadlock_prone, refuses (UserError on noc.routing.algorithm) a routing whose
  // channel dependency graph has a cycle. `watchdog_cycles` = 0 disables the stall watchdog.
  explicit Network(const config::NocConfig& cfg, uint64_t watchdog_cycles = 10000);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  const Topology& topology() const;
  const RouterParams& params() const;
  uint32_t num_terminals() const;
  uint64_t cycle() const;
  // True when multicast packets fork inside the routers (noc.multicast.mode "tree" with a routing
  // that has a tree rule); false when the source's interface sends unicast copies.
  bool multicast_tree() const;
  uint32_t max_multicast_flits() const;

  // Creates a packet at the current cycle. Throws UserError for a bad terminal, size or
  // destination set.
  void inject(const PacketSpec& packet);
  // Simulates the current cycle and moves to the next one.
  void step();
  // Packets whose tail was ejected / flits ejected during the last step().
  std::span<const Delivery> delivered() const;
  std::span<const FlitEjection> ejected_flits() const;

  // No packet waiting, in flight or partly delivered.
  bool empty() const;
  uint64_t packets_outstanding() const;
  // Jumps an empty network forward to `cycle` in O(1) (pending credits are settled).
  void skip_idle_until(uint64_t cycle);

  const NetworkCounters& counters() const;
  // True when every credit counter (router outputs and network interfaces) is back to a full
  // buffer and every output VC is free; meaningful once empty() and a few cycles have passed.
  bool credits_restored() const;
  // What every non-empty virtual channel holds and waits for (the watchdog's report).
  std::string describe_blocked() const;

 private:
  struct Impl;  // the shared state (network_state.h) and the allocator
  std::unique_ptr<Impl> impl_;
};

}  // namespace nocsim::noc
