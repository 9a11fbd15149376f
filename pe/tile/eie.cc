// EIE (Han et al., ISCA 2016) on a NoC tile: a share of a fully-connected layer stored as
// compressed sparse columns (pe/sparse_structure.h): per non-zero a b-bit index into the layer's
// codebook of 2^b shared weights and a 4-bit relative row index (padding entries where a gap is
// longer), a 16-bit pointer per column, and the codebook itself. The tile takes the layer's
// non-zero inputs one by one from its activation queue; each reads its column's entries and
// multiplies them, the tile's multipliers sharing a column's entries, so an input whose column
// holds e entries here takes max(1, ceil(e / multipliers)) cycles (one at least: the pointer read
// and the dequeue). Padding entries are multiplied like the others (EIE computes them), zero
// inputs are skipped. Tiles of a layer work through the same inputs independently (each holds
// the whole input), so a tile with more non-zeros finishes later and the layer waits for it:
// load imbalance costs time as in EIE, where the broadcast waits for the fullest queue.
#include <algorithm>

#include "configs/user_error.h"
#include "pe/sim_context.h"
#include "pe/tile/tile.h"

namespace nocsim::pe {
namespace {

constexpr uint64_t kPointerBits = 16;  // EIE's column pointers

class EieTile : public Tile {
 public:
  explicit EieTile(const AcceleratorParams& p)
      : macs_per_cycle_(p.macs_per_cycle),
        weight_bits_(p.weight_bits),
        activation_bits_(p.activation_bits),
        codebook_bits_(p.codebook_bits),
        index_bits_(p.sparse_index_bits) {}

  void check(const Stage& st) const override {
    if (st.kind != "dense")
      refuse_stage(st, "eie",
                   "it runs pruned fully-connected (dense) layers in compressed sparse columns; "
                   "use \"permdnn\" for permuted-diagonal layers and conv layers");
  }

  void check_weights(const Stage& st, std::span<const float> decoded) const override {
    std::vector<float> values;
    for (float w : decoded)
      if (w != 0.0f) values.push_back(w);
    std::sort(values.begin(), values.end());
    const size_t distinct =
        static_cast<size_t>(std::unique(values.begin(), values.end()) - values.begin());
    if (distinct > (size_t{1} << codebook_bits_))
      throw UserError("accelerator.tile.codebook_bits",
                      "layer '" + st.name + "' has " + std::to_string(distinct) +
                          " distinct non-zero weights after the codec, more than the " +
                          std::to_string(size_t{1} << codebook_bits_) + " a codebook of " +
                          std::to_string(codebook_bits_) +
                          " bits holds: use a codebook codec (e.g. kmeans:bits=" +
                          std::to_string(codebook_bits_) + ")");
  }

  bool sparse_weights() const override { return true; }

  // The codec carries the non-zeros' values; the relative indices, the padding entries' codebook
  // indices and the column pointers travel beside them.
  uint64_t index_bits(const Stage& st, const Share& sh) const override {
    return sh.index_entries * index_bits_ + (sh.index_entries - sh.nonzeros) * codebook_bits_ +
           pointer_bits(st);
  }

  uint64_t stored_bits(const Stage& st, const Share& sh) const override {
    return sh.index_entries * (codebook_bits_ + index_bits_) + pointer_bits(st) +
           (uint64_t{1} << codebook_bits_) * weight_bits_;
  }

  TaskCost compute(const TileTask& t) const override {
    TaskCost c;
    const Share& sh = *t.share;
    compute_share_rows(t);
    uint64_t inputs = 0;
    for (size_t j = 0; j < t.input.size() && j < sh.column_entries.size(); ++j) {
      if (t.input[j] == 0.0f) continue;
      ++inputs;
      const uint64_t e = sh.column_entries[j];
      c.macs += e;
      c.cycles += std::max<uint64_t>(1, ceil_div(e, macs_per_cycle_));
    }
    c.cycles = std::max<uint64_t>(1, c.cycles);
    c.weight_read_bits = c.macs * (codebook_bits_ + index_bits_) + inputs * 2 * kPointerBits;
    c.activation_read_bits = inputs * activation_bits_;
    return c;
  }

 private:
  static uint64_t pointer_bits(const Stage& st) {
    return static_cast<uint64_t>(st.weights_per_block_row + 1) * kPointerBits;
  }

  uint64_t macs_per_cycle_;
  uint64_t weight_bits_;
  uint64_t activation_bits_;
  uint64_t codebook_bits_;
  uint64_t index_bits_;
};

NOCSIM_REGISTER(tile_registry(), EieTile, "eie",
                "EIE: pruned FC layers in compressed sparse columns with a shared codebook, "
                "zero inputs skipped");

}  // namespace
}  // namespace nocsim::pe
