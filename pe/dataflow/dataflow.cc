#include "pe/dataflow/dataflow.h"

#include <limits>
#include <stdexcept>
#include <string>

#include "pe/mapping/mapping.h"

namespace nocsim::pe {

DataflowRegistry& dataflow_registry() {
  static DataflowRegistry registry("dataflow");
  return registry;
}

Placement map_block_rows(const LayerPlan& plan, const AcceleratorParams& p,
                         const noc::Topology& topo) {
  const uint32_t num_tiles = static_cast<uint32_t>(p.pe_nodes.size());
  auto mapping = mapping_registry().create(p.mapping, "accelerator.mapping");
  Placement pl;
  pl.shares.assign(plan.stages.size(), std::vector<Share>(num_tiles));
  pl.producers.assign(plan.stages.size(), {});
  for (const Stage& st : plan.stages) pl.sources.push_back(st.sources);
  int64_t before = 0;
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    const Stage& st = plan.stages[s];
    MappingInput mi;
    mi.layer = static_cast<int>(s);
    mi.block_rows = st.block_rows;
    mi.weights_per_block_row = st.weights_per_block_row;
    mi.block_rows_before = before;
    mi.tile_hops = p.tile_hops;
    const std::vector<int> owner = mapping->assign(mi);
    if (owner.size() != static_cast<size_t>(st.block_rows))
      throw std::logic_error("mapping '" + p.mapping + "' returned a wrong number of owners");
    for (int b = 0; b < st.block_rows; ++b) {
      const int o = owner[b];
      if (o < 0 || o >= static_cast<int>(num_tiles))
        throw std::logic_error("mapping '" + p.mapping + "' returned tile " + std::to_string(o));
      Share& sh = pl.shares[s][o];
      if (!sh.runs.empty() && sh.runs.back().second == b) {
        ++sh.runs.back().second;
      } else {
        sh.runs.push_back({b, b + 1});
      }
      ++sh.block_rows;
      sh.weights += st.weights_per_block_row;
      sh.out_elems += st.out_end(b + 1) - st.out_begin(b);
    }
    for (uint32_t t = 0; t < num_tiles; ++t)
      if (pl.shares[s][t].active()) pl.producers[s].push_back(t);
    before += st.block_rows;
  }
  // The input enters from the controller nearest (fewest total hops) to the first layer's tiles.
  uint64_t best = std::numeric_limits<uint64_t>::max();
  for (uint32_t m = 0; m < p.mc_nodes.size(); ++m) {
    uint64_t sum = 0;
    for (uint32_t t : pl.producers[0]) sum += topo.distance(p.mc_nodes[m], p.pe_nodes[t]);
    if (sum < best) best = sum, pl.input_mc = m;
  }
  return pl;
}

}  // namespace nocsim::pe
