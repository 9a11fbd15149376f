#pragma once
// The NoC latency of the accelerator's packets by what they carry (AcceleratorNocLatency), taken
// from the deliveries the co-simulation receives anyway: one sample per packet, a multicast packet
// measured to its last destination's tail (as the NoC-alone statistics measure it).
#include <array>

#include "configs/schema/accelerator.pb.h"
#include "noc/latency_samples.h"
#include "noc/network.h"
#include "pe/sim_context.h"

namespace nocsim::pe {

class PacketLatencies {
 public:
  // `d` is the last delivery of a packet of a message of `kind`.
  void add(Message::Kind kind, const noc::Delivery& d);
  // Kinds that sent no packet are left unset.
  config::AcceleratorNocLatency report() const;

 private:
  struct Samples {
    noc::LatencySamples packet, network;
    void add(const noc::Delivery& d);
    void report(config::PacketLatency& out) const;
  };
  enum Group { kWeights, kActivations, kInput, kOutput, kSpill, kGroups };
  static Group group(Message::Kind kind);

  Samples all_;
  std::array<Samples, kGroups> groups_;
};

}  // namespace nocsim::pe
