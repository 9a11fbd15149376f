#include "noc/energy_model.h"

namespace nocsim::noc {

config::EnergyBreakdown network_energy(const NetworkCounters& w, const Topology& topology,
                                       const RouterParams& params, uint64_t cycles,
                                       const config::TechConfig& tech) {
  const double bits = params.flit_width_bits;
  config::EnergyBreakdown e;
  e.set_buffer_pj(static_cast<double>(w.buffer_writes) * bits * tech.buffer_write_pj_per_bit() +
                  static_cast<double>(w.buffer_reads) * bits * tech.buffer_read_pj_per_bit());
  e.set_crossbar_pj(static_cast<double>(w.crossbar_traversals) * bits * tech.crossbar_pj_per_bit());
  e.set_allocator_pj(static_cast<double>(w.vc_allocations) * tech.vc_alloc_pj() +
                     static_cast<double>(w.sw_allocations) * tech.sw_alloc_pj());
  double bit_mm = 0;
  const auto& chans = topology.channels();
  for (size_t c = 0; c < chans.size() && c < w.channel_flits.size(); ++c)
    bit_mm += static_cast<double>(w.channel_flits[c]) * bits * chans[c].length_mm;
  e.set_link_pj(bit_mm * tech.link_pj_per_bit_mm());
  e.set_leakage_pj(static_cast<double>(topology.num_routers()) * static_cast<double>(cycles) *
                   tech.router_leakage_pj_per_cycle());
  e.set_total_pj(e.buffer_pj() + e.crossbar_pj() + e.allocator_pj() + e.link_pj() + e.leakage_pj());
  return e;
}

}  // namespace nocsim::noc
