#include "pe/energy.h"

#include "noc/energy_model.h"

namespace nocsim::pe {

NocEnergy run_noc_energy(const noc::Network& net, uint64_t cycles, const config::TechConfig& tech) {
  const config::EnergyBreakdown n =
      noc::network_energy(net.counters(), net.topology(), net.params(), cycles, tech);
  return {n.total_pj() - n.leakage_pj(), n.leakage_pj()};
}

NocEnergy noc_share(const NocEnergy& run, const Counters& all, uint64_t cycles,
                    const Counters& part, uint64_t part_cycles) {
  const double hops = static_cast<double>(all.weight_hops + all.activation_hops);
  const double part_hops = static_cast<double>(part.weight_hops + part.activation_hops);
  NocEnergy e;
  e.dynamic_pj = hops > 0 ? run.dynamic_pj * part_hops / hops : 0;
  e.leakage_pj =
      cycles > 0 ? run.leakage_pj * static_cast<double>(part_cycles) / static_cast<double>(cycles)
                 : 0;
  return e;
}

config::AcceleratorEnergy accelerator_energy(const Counters& c, const NocEnergy& noc,
                                             uint64_t cycles, const config::TechConfig& tech,
                                             uint32_t num_tiles,
                                             const compression::DecoderCost& decoder,
                                             const BufferCosts& buffers, double mac_pj_each) {
  // The network's dynamic energy is split between the classes by flit-hops (every per-flit
  // event of a router and link is proportional to them); leakage is kept apart.
  config::AcceleratorEnergy e;
  const double hops = static_cast<double>(c.weight_hops + c.activation_hops);
  e.set_noc_pj(noc.dynamic_pj);
  e.set_noc_weight_pj(hops > 0 ? noc.dynamic_pj * static_cast<double>(c.weight_hops) / hops : 0);
  e.set_noc_activation_pj(noc.dynamic_pj - e.noc_weight_pj());
  e.set_dram_pj(static_cast<double>(c.dram_bits) * tech.dram_pj_per_bit());
  // Weight buffer: decoded weights written once per fetch; activation buffer: received values
  // written once (spilled ones read out and written again); the tiles count their reads. Each
  // buffer at the per-bit cost of its size.
  const SramCost& w = buffers.weight;
  const SramCost& a = buffers.activation;
  const double act_writes = static_cast<double>(c.activation_bits_received + c.spill_bits);
  const double act_reads = static_cast<double>(c.activation_read_bits + c.spill_bits);
  e.set_sram_pj(static_cast<double>(c.stored_weight_bits) * w.write_pj_per_bit +
                static_cast<double>(c.weight_read_bits) * w.read_pj_per_bit +
                act_writes * a.write_pj_per_bit + act_reads * a.read_pj_per_bit);
  e.set_mac_pj(static_cast<double>(c.macs) * mac_pj_each);
  const double scale = tech.has_decoder_energy_scale() ? tech.decoder_energy_scale() : 1.0;
  e.set_decoder_pj(static_cast<double>(c.decoded_weights) * decoder.energy_pj_per_weight * scale);
  const double pe_leak =
      tech.pe_leakage_pj_per_cycle() + w.leakage_pj_per_cycle + a.leakage_pj_per_cycle;
  e.set_pe_leakage_pj(static_cast<double>(cycles) * num_tiles * pe_leak);
  e.set_noc_leakage_pj(noc.leakage_pj);
  e.set_leakage_pj(e.pe_leakage_pj() + e.noc_leakage_pj());
  e.set_total_pj(e.dram_pj() + e.noc_pj() + e.sram_pj() + e.mac_pj() + e.decoder_pj() +
                 e.leakage_pj());
  return e;
}

}  // namespace nocsim::pe
