#pragma once
// Energy of an accelerator run, or of its first image, from counters alone (so the cold start
// and the whole run use the same formulas).
#include <cstdint>

#include "compression/codec.h"
#include "configs/schema/result.pb.h"
#include "noc/network.h"
#include "pe/sim_context.h"
#include "pe/sram_cost.h"

namespace nocsim::pe {

struct NocEnergy {
  double dynamic_pj = 0, leakage_pj = 0;
};

// The network's energy over the whole run (`cycles` long), from its event counters.
NocEnergy run_noc_energy(const noc::Network& net, uint64_t cycles, const config::TechConfig& tech);

// The share of `run` that belongs to `part` (counted over `part_cycles` of the run's `cycles`):
// dynamic energy by flit-hops, leakage by cycles.
NocEnergy noc_share(const NocEnergy& run, const Counters& all, uint64_t cycles,
                    const Counters& part, uint64_t part_cycles);

// Each tile's two buffers, priced by their size.
struct BufferCosts {
  SramCost weight, activation;
};

// Everything counted in `c` over `cycles` cycles, with the network's part given; a MAC costs
// `mac_pj_each` (mac_energy_pj of the run's datapath).
config::AcceleratorEnergy accelerator_energy(const Counters& c, const NocEnergy& noc,
                                             uint64_t cycles, const config::TechConfig& tech,
                                             uint32_t num_tiles,
                                             const compression::DecoderCost& decoder,
                                             const BufferCosts& buffers, double mac_pj_each);

}  // namespace nocsim::pe
