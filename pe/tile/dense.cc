// The reference engine: a MAC array that multiplies every weight by every input, zeros included
// (no weight or activation skipping), at the full MAC rate; the buffer holds every weight at the
// datapath's precision. It runs dense and conv2d layers (a pruned layer's zeros are multiplied
// like the rest); permuted-diagonal layers need the permdnn kind.
#include <algorithm>

#include "pe/sim_context.h"
#include "pe/tile/tile.h"

namespace nocsim::pe {
namespace {

class DenseTile : public Tile {
 public:
  explicit DenseTile(const AcceleratorParams& p)
      : macs_per_cycle_(p.macs_per_cycle),
        weight_bits_(p.weight_bits),
        activation_bits_(p.activation_bits) {}

  void check(const Stage& st) const override {
    if (st.kind != "dense" && st.kind != "conv2d")
      refuse_stage(st, "dense", "it runs dense and conv2d layers; use \"permdnn\"");
  }

  uint64_t stored_bits(const Stage&, const Share& share) const override {
    return static_cast<uint64_t>(share.weights) * weight_bits_;
  }

  TaskCost compute(const TileTask& t) const override {
    TaskCost c;
    compute_share_rows(t);
    c.macs = share_dense_macs(*t.stage, *t.share);  // whatever the inputs hold
    c.cycles = std::max<uint64_t>(1, ceil_div(c.macs, macs_per_cycle_));
    c.weight_read_bits = c.macs * weight_bits_;
    c.activation_read_bits = c.macs * activation_bits_;
    return c;
  }

 private:
  uint64_t macs_per_cycle_;
  uint64_t weight_bits_;
  uint64_t activation_bits_;
};

NOCSIM_REGISTER(tile_registry(), DenseTile, "dense",
                "a MAC array without skipping: every weight times every input");

}  // namespace
}  // namespace nocsim::pe
