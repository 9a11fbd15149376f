#pragma once
// The state every part of one accelerator run shares: the resolved parameters, the network, the
// event queue, the in-flight messages and the counters. The parts (transfer, DRAM model, tiles,
// dataflow, the co-simulation loop) are separate files that take this context; none of them owns
// another's state. Counters are plain integers: the result protobuf is written once, at the end.
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <string>
#include <vector>

#include "noc/network.h"
#include "noc/traffic/trace_recorder.h"
#include "pe/accelerator_params.h"

namespace nocsim::pe {

constexpr uint32_t kWeightClass = 0;
constexpr uint32_t kActivationClass = 1;

inline uint64_t ceil_div(uint64_t a, uint64_t b) {
  return (a + b - 1) / b;
}

// One multi-packet transfer; its packets carry its index as their tag.
struct Message {
  // kSpillOut / kSpillIn: a tile's activations that do not fit its buffer, to its memory
  // controller and back.
  enum Kind : uint8_t {
    kWeights,
    kActivations,
    kInput,
    kOutput,
    kSpillOut,
    kSpillIn
  } kind = kWeights;
  uint32_t dst = 0;  // tile index (weights, activations, input) or MC index (output)
  uint32_t stage = 0;
  uint32_t image = 0;
  uint32_t fetch = 0;           // weights: fetch index on the tile
  uint32_t tile = 0, task = 0;  // spills: whose task
  uint32_t packets_left = 0;
  uint32_t src_node = 0, dst_node = 0;
  uint64_t payload_bits = 0;
  // Activations: the same values dense (what the receiving buffer holds once decoded).
  uint64_t dense_bits = 0;
  // DRAM-fed transfers: when the bits start to flow and how many have been sent.
  uint64_t data_start = 0;
  uint64_t sent_bits = 0;
  double bits_per_cycle = 0;  // 0 = all bits available at data_start
  uint64_t first_arrival = std::numeric_limits<uint64_t>::max();  // first packet delivered
  // Multicast: its destinations are SimContext::dests[dests_first, dests_first + dests_count)
  // (dst / dst_node unused); 0 = unicast.
  uint32_t dests_first = 0, dests_count = 0;
  uint32_t traffic_class() const { return kind == kWeights ? kWeightClass : kActivationClass; }
};

// Message::Kind's names, in its order: the kinds of a recorded trace (`nocsim run --trace-out`).
inline std::vector<std::string> message_kind_names() {
  return {"weights", "activations", "input", "output", "spill_out", "spill_in"};
}

struct Event {
  enum Kind : uint8_t { kSendPacket, kDecodeDone, kComputeDone } kind = kSendPacket;
  uint64_t time = 0;
  uint64_t seq = 0;
  uint32_t a = 0, b = 0;
  bool operator>(const Event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
};

// Ordered by (cycle, insertion) so that equal-time events run in a reproducible order.
class EventQueue {
 public:
  void push(Event::Kind kind, uint64_t time, uint32_t a, uint32_t b = 0) {
    q_.push(Event{kind, time, seq_++, a, b});
  }
  bool empty() const { return q_.empty(); }
  const Event& top() const { return q_.top(); }
  void pop() { q_.pop(); }

 private:
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> q_;
  uint64_t seq_ = 0;
};

// One destination of a multicast message: its tile, router and packets still to arrive there.
struct MulticastDest {
  uint32_t tile = 0, node = 0, packets_left = 0;
};

// Whole-run counters; the energy model turns a snapshot of them into picojoules.
struct Counters {
  uint64_t weight_flits = 0, activation_flits = 0, weight_packets = 0, activation_packets = 0;
  uint64_t weight_hops = 0, activation_hops = 0;  // flit-hops
  uint64_t dram_bits = 0, macs = 0, weight_fetches = 0, decoded_weights = 0;
  uint64_t activation_bits_received = 0;  // decoded into the receiving buffers
  // Activation messages (input, activations, outputs; each once) as encoded and as dense.
  uint64_t activation_wire_bits = 0, activation_dense_bits = 0;
  uint64_t stored_weight_bits = 0;                          // written into weight buffers (decoded)
  uint64_t weight_read_bits = 0, activation_read_bits = 0;  // buffer reads by the tiles
  uint64_t spill_bits = 0;      // activations written to DRAM (and read back) for lack of room
  uint64_t flits_injected = 0;  // at the sources: a multicast packet's flits count once
  // Multicast deliveries' flit-hops summed per destination (shared tree links counted at every
  // destination behind them); CoSimulation replaces them by the tree's own at the end.
  uint64_t multicast_dest_hops = 0;
};

// Per stage, first image only (what the per-layer report shows), except the flit counts.
struct LayerCounters {
  uint64_t start_cycle = 0, end_cycle = 0;
  uint64_t weight_flits = 0, activation_flits = 0, macs = 0;
  uint64_t input_bits = 0, input_dense_bits = 0;      // the stage's input messages, each once
  uint64_t busiest_tile_cycles = 0, tile_cycles = 0;  // compute time: the slowest tile's, the sum
  uint64_t adds = 0;  // additions of the stage's residual adds (on its tiles)
};

struct SimContext {
  SimContext(const AcceleratorParams& params, noc::Network& network)
      : p(params), net(network), injected_flits(network.topology().num_terminals(), 0) {}
  const AcceleratorParams& p;
  noc::Network& net;
  EventQueue events;
  std::vector<Message> messages;
  std::vector<MulticastDest> dests;  // of the multicast messages, contiguous per message
  std::vector<uint32_t> dest_nodes;  // dests[i].node, as PacketSpec::dests reads them
  Counters counters;
  std::vector<LayerCounters> layers;
  std::vector<uint64_t> injected_flits;  // per terminal: how busy its injection port was
  noc::TraceRecorder* trace = nullptr;   // when set, every injected packet is recorded
};

}  // namespace nocsim::pe
