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

  void check(const Stage& st) const override {
    if (st.density < 1.0)
      refuse_stage(st, "permdnn",
                   "it is pruned (density " + std::to_string(st.density) +
                       "): its zeros have no structure for offset arithmetic; use \"eie\" or "
                       "\"dense\"");
  }

  uint64_t index_bits(const Stage& stage, const Share& share) const override {
    return offsets_stored_ ? pd_offset_bits(stage, share.weights) : 0;
  }

  uint64_t stored_bits(const Stage& stage, const Share& share) const override {
    return static_cast<uint64_t>(share.weights) * weight_bits_ + index_bits(stage, share);
  }

  // Fully-connected stages go column by column: each non-zero input meets one weight per
  // block-row the tile holds (a PD block has one non-zero per column; a dense row one weight),
  // and those products share the multipliers, so a column takes ceil(B / multipliers) cycles and
  // a tile with fewer block-rows than multipliers leaves some idle. Conv stages fill the
  // multipliers across output positions (each weight meets every position), so they run at the
  // full MAC rate.
  uint64_t compute_cycles(const Stage& st, const Share& sh, uint64_t macs) const {
    if (st.kind != "dense" && st.kind != "pd_dense") return ceil_div(macs, macs_per_cycle_);
    const uint64_t b = static_cast<uint64_t>(std::max(1, sh.block_rows));
    return ceil_div(macs, b) * ceil_div(b, macs_per_cycle_);
  }

  TaskCost compute(const TileTask& t) const override {
    TaskCost c;
    // Traffic-only: MACs from the shapes, no zero skipping.
    c.macs = t.layer != nullptr ? compute_share_rows(t) : share_dense_macs(*t.stage, *t.share);
    c.cycles = std::max<uint64_t>(1, compute_cycles(*t.stage, *t.share, c.macs));
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
