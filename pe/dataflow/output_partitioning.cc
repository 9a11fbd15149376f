// Output partitioning: each tile computes whole outputs (its block-rows) and so needs the whole
// input vector; every producing tile sends its output slice to every tile of the next stage
// (an all-gather). For conv layers every tile holding output channels gets the whole input map.
// A stage with a residual add also gets the whole outputs of the stages its add reads.
#include "pe/dataflow/dataflow.h"

namespace nocsim::pe {
namespace {

class OutputPartitioning : public Dataflow {
 public:
  Placement place(const LayerPlan& plan, const AcceleratorParams& p,
                  const noc::Topology& topo) const override {
    return map_block_rows(plan, p, topo);
  }
  const std::vector<uint32_t>& input_receivers(const Placement& pl) const override {
    return pl.producers[0];
  }
  const std::vector<uint32_t>& receivers(const Placement& pl, uint32_t, uint32_t consumer,
                                         uint32_t) const override {
    return pl.producers[consumer];
  }
  uint32_t expected_inputs(const Placement& pl, uint32_t stage, uint32_t) const override {
    uint32_t n = 0;
    for (int k : pl.sources[stage]) n += k < 0 ? 1 : static_cast<uint32_t>(pl.producers[k].size());
    return n;
  }
};

NOCSIM_REGISTER(dataflow_registry(), OutputPartitioning, "output_partitioning",
                "tiles own output block-rows; every tile of a layer gets the whole input");

}  // namespace
}  // namespace nocsim::pe
