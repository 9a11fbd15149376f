#include "pe/area.h"

#include "pe/datapath.h"

namespace nocsim::pe {

config::AcceleratorArea accelerator_area(const config::TechConfig& tech, const AcceleratorParams& p,
                                         const BufferCosts& buffers, uint32_t num_routers) {
  const double tiles = static_cast<double>(p.pe_nodes.size());
  config::AcceleratorArea a;
  a.set_sram_mm2(tiles * (buffers.weight.mm2 + buffers.activation.mm2));
  a.set_mac_mm2(tiles * p.macs_per_cycle * mac_area_mm2(tech, p.datapath));
  a.set_decoder_mm2(tiles * tech.decoder_mm2());
  a.set_router_mm2(num_routers * tech.router_mm2());
  a.set_total_mm2(a.sram_mm2() + a.mac_mm2() + a.decoder_mm2() + a.router_mm2());
  return a;
}

}  // namespace nocsim::pe
