// The PermDNN tile: permuted-diagonal (or dense, p = 1) block-rows computed at a fixed number of
// MACs per cycle, skipping zero activations; weight positions come from the block offsets by
// arithmetic, so the buffer holds only the decoded values, at the datapath's weight precision, and
// the blocks' offsets when they are sent rather than generated on chip (accelerator.pd_offsets).
// One weight and one activation are read from SRAM per MAC (no register-level reuse:
// pessimistic for conv layers).
#include <algorithm>

#include "pe/sim_context.h"
#include "pe/tile/tile.h"

namespace nocsim::pe {
namespace {

class PermDnnTile : public Tile {
 public:
  explicit PermDnnTile(const AcceleratorParams& p)
      : macs_per_cycle_(p.macs_per_cycle),
        weight_bits_(p.weight_bits),
        activation_bits_(p.activation_bits),
        offsets_stored_(p.pd_offsets_sent) {}

  uint64_t stored_bits(const Stage& stage, const Share& share) const override {
    return static_cast<uint64_t>(share.weights) * weight_bits_ +
           (offsets_stored_ ? pd_offset_bits(stage, share.weights) : 0);
  }

  TaskCost compute(const TileTask& t) const override {
    TaskCost c;
    if (t.layer != nullptr) {
      for (const auto& [b0, b1] : t.share->runs)
        c.macs += t.layer->forward_rows(t.input, t.output, b0, b1);
    } else {
      // Traffic-only: MACs from the shapes, no zero skipping.
      c.macs = static_cast<uint64_t>(t.stage->macs / t.stage->block_rows) * t.share->block_rows;
    }
    c.cycles = std::max<uint64_t>(1, ceil_div(c.macs, macs_per_cycle_));
    c.weight_read_bits = c.macs * weight_bits_;
    c.activation_read_bits = c.macs * activation_bits_;
    return c;
  }

 private:
  uint64_t macs_per_cycle_;
  uint64_t weight_bits_;
  uint64_t activation_bits_;
  bool offsets_stored_;
};

NOCSIM_REGISTER(tile_registry(), PermDnnTile, "permdnn",
                "permuted-diagonal block-rows, offsets by arithmetic, zero activations skipped");

}  // namespace
}  // namespace nocsim::pe
