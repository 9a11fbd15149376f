#pragma once
// Silicon area of the machine from the tech preset: per tile its two buffers (at their sizes,
// tech.sram_arrays), its MAC units (the datapath's multiplier and accumulator, times
// pe.macs_per_cycle) and its decoder; plus every router. Memory controllers' logic and DRAM
// interfaces are left out (the same for every engine compared on one NoC).
#include <cstdint>

#include "configs/schema/accelerator.pb.h"
#include "configs/schema/tech.pb.h"
#include "pe/accelerator_params.h"
#include "pe/energy.h"

namespace nocsim::pe {

config::AcceleratorArea accelerator_area(const config::TechConfig& tech, const AcceleratorParams& p,
                                         const BufferCosts& buffers, uint32_t num_routers);

}  // namespace nocsim::pe
