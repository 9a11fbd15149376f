#pragma once
// Collects the packets a simulation injects, as plain structs appended in its event loop (one
// push per packet, destinations in one shared array, no protobuf), and turns them into a Trace
// once the run is over (`nocsim run --trace-out`).
#include <cstdint>
#include <string>
#include <vector>

#include "configs/schema/traffic.pb.h"
#include "noc/network.h"

namespace nocsim::noc {

class TraceRecorder {
 public:
  // `kinds` names what packets carry (TraceRecord.kind indexes it).
  void set_kinds(std::vector<std::string> kinds) { kinds_ = std::move(kinds); }

  // `packet` as it is injected at `cycle` (its tag is not kept).
  void record(uint64_t cycle, const PacketSpec& packet, uint32_t kind) {
    packets_.push_back({cycle, packet.source, packet.dest, packet.size_flits, packet.traffic_class,
                        kind, static_cast<uint32_t>(dests_.size()),
                        static_cast<uint32_t>(packet.dests.size())});
    dests_.insert(dests_.end(), packet.dests.begin(), packet.dests.end());
  }

  uint64_t packets() const { return packets_.size(); }
  // Flits injected at the sources (a multicast packet's once).
  uint64_t flits() const;
  // The recorded packets in injection order, with their count and the kinds.
  config::Trace trace() const;

 private:
  struct Packet {
    uint64_t cycle;
    uint32_t source, dest, size_flits, traffic_class, kind;
    uint32_t dests_first, dests_count;  // multicast: dests_[first, first + count)
  };
  std::vector<Packet> packets_;
  std::vector<uint32_t> dests_;
  std::vector<std::string> kinds_;
};

}  // namespace nocsim::noc
