#pragma once
// What an access to a buffer of a given size costs, from the tech preset's table by capacity
// (tech.sram_arrays): bigger arrays have longer bit lines and word lines, so each bit costs more.
#include "configs/schema/tech.pb.h"

namespace nocsim::pe {

struct SramCost {
  double read_pj_per_bit = 0, write_pj_per_bit = 0;
  double leakage_pj_per_cycle = 0;  // the whole array
  double mm2 = 0;                   // the whole array
};

// Energies interpolated linearly in log2(kib) between table entries (extrapolated along the
// nearest segment, never below zero); leakage and area per KiB likewise, times `kib`. An empty
// table gives the flat sram_*_pj_per_bit and sram_mm2_per_kib figures and no leakage. UserError on
// tech.sram_arrays when the table is not ascending or has non-positive sizes.
SramCost sram_cost(const config::TechConfig& tech, double kib);

}  // namespace nocsim::pe
