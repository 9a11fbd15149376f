#include "pe/packet_latency.h"

namespace nocsim::pe {

void PacketLatencies::Samples::add(const noc::Delivery& d) {
  packet.add(d.delivered - d.created);
  network.add(d.delivered - d.injected);
}

void PacketLatencies::Samples::report(config::PacketLatency& out) const {
  *out.mutable_packet() = packet.summary();
  *out.mutable_network() = network.summary();
}

PacketLatencies::Group PacketLatencies::group(Message::Kind kind) {
  switch (kind) {
    case Message::kWeights:
      return kWeights;
    case Message::kActivations:
      return kActivations;
    case Message::kInput:
      return kInput;
    case Message::kOutput:
      return kOutput;
    case Message::kSpillOut:
    case Message::kSpillIn:
      return kSpill;
  }
  return kActivations;
}

void PacketLatencies::add(Message::Kind kind, const noc::Delivery& d) {
  all_.add(d);
  groups_[group(kind)].add(d);
}

config::AcceleratorNocLatency PacketLatencies::report() const {
  using Field = config::PacketLatency* (config::AcceleratorNocLatency::*)();
  using L = config::AcceleratorNocLatency;
  static constexpr Field kFields[kGroups] = {&L::mutable_weights, &L::mutable_activations,
                                             &L::mutable_input, &L::mutable_output,
                                             &L::mutable_spill};
  config::AcceleratorNocLatency r;
  if (all_.packet.count() > 0) all_.report(*r.mutable_all());
  for (int g = 0; g < kGroups; ++g)
    if (groups_[g].packet.count() > 0) groups_[g].report(*(r.*kFields[g])());
  return r;
}

}  // namespace nocsim::pe
