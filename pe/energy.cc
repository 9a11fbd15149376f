#include "pe/energy.h"

#include "noc/energy_model.h"

namespace nocsim::pe {

config::AcceleratorEnergy accelerator_energy(const Counters& c, const noc::NetworkCounters& noc,
                                             uint64_t cycles, const noc::Network& net,
                                             const config::TechConfig& tech, uint32_t num_tiles,
                                             const compression::DecoderCost& decoder) {
  // The network's dynamic energy is split between the classes by flit-hops (every per-flit
  // event of a router and link is proportional to them); leakage is kept apart.
  const config::EnergyBreakdown n =
      noc::network_energy(noc, net.topology(), net.params(), cycles, tech);
  config::AcceleratorEnergy e;
  const double noc_dynamic = n.total_pj() - n.leakage_pj();
  const double hops = static_cast<double>(c.weight_hops + c.activation_hops);
  e.set_noc_pj(noc_dynamic);
  e.set_noc_weight_pj(hops > 0 ? noc_dynamic * static_cast<double>(c.weight_hops) / hops : 0);
  e.set_noc_activation_pj(noc_dynamic - e.noc_weight_pj());
  e.set_dram_pj(static_cast<double>(c.dram_bits) * tech.dram_pj_per_bit());
  // Weight buffer: decoded weights written once per fetch; activation buffer: received values
  // written once; the tiles count their reads.
  const double sram_write_bits =
      static_cast<double>(c.stored_weight_bits) + static_cast<double>(c.activation_bits_received);
  const double sram_read_bits = static_cast<double>(c.sram_read_bits);
  e.set_sram_pj(sram_write_bits * tech.sram_write_pj_per_bit() +
                sram_read_bits * tech.sram_read_pj_per_bit());
  e.set_mac_pj(static_cast<double>(c.macs) * tech.mac_pj());
  const double scale = tech.has_decoder_energy_scale() ? tech.decoder_energy_scale() : 1.0;
  e.set_decoder_pj(static_cast<double>(c.decoded_weights) * decoder.energy_pj_per_weight * scale);
  e.set_pe_leakage_pj(static_cast<double>(cycles) * num_tiles * tech.pe_leakage_pj_per_cycle());
  e.set_noc_leakage_pj(n.leakage_pj());
  e.set_leakage_pj(e.pe_leakage_pj() + e.noc_leakage_pj());
  e.set_total_pj(e.dram_pj() + e.noc_pj() + e.sram_pj() + e.mac_pj() + e.decoder_pj() +
                 e.leakage_pj());
  return e;
}

}  // namespace nocsim::pe
