#pragma once
// Energy of an accelerator run, or of its part up to some cycle, from the counters alone (so the
// cold start and the whole run use the same formulas).
#include <cstdint>

#include "compression/codec.h"
#include "configs/schema/result.pb.h"
#include "noc/network.h"
#include "pe/sim_context.h"

namespace nocsim::pe {

// `counters` and `noc` counted from cycle 0 to `cycles`.
config::AcceleratorEnergy accelerator_energy(const Counters& counters,
                                             const noc::NetworkCounters& noc, uint64_t cycles,
                                             const noc::Network& net,
                                             const config::TechConfig& tech, uint32_t num_tiles,
                                             const compression::DecoderCost& decoder);

}  // namespace nocsim::pe
