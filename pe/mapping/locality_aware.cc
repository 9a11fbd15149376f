// locality_aware: tiles nearer their memory controller get more block-rows. Tile t weighs
// (D + 1 - d_t), d_t its hops to its MC and D the largest such distance; each tile's quota is
// its share of the layer's block-rows by weight (largest remainder, ties to the nearer tile, then
// the lower index). A tile's block-rows are contiguous, nearest tiles first, so each tile's weights
// are one chunk of the encoded layer.
#include <algorithm>
#include <numeric>

#include "pe/mapping/mapping.h"

namespace nocsim::pe {
namespace {

class LocalityAware : public Mapping {
 public:
  std::vector<int> assign(const MappingInput& in) const override {
    const int tiles = static_cast<int>(in.tile_hops.size());
    const uint32_t far = *std::max_element(in.tile_hops.begin(), in.tile_hops.end());
    std::vector<int> order(tiles);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return in.tile_hops[a] < in.tile_hops[b]; });
    int64_t total_weight = 0;
    for (uint32_t d : in.tile_hops) total_weight += far + 1 - d;
    std::vector<int64_t> quota(tiles);
    std::vector<int64_t> remainder(tiles);
    int64_t given = 0;
    for (int t = 0; t < tiles; ++t) {
      const int64_t num = static_cast<int64_t>(in.block_rows) * (far + 1 - in.tile_hops[t]);
      quota[t] = num / total_weight;
      remainder[t] = num % total_weight;
      given += quota[t];
    }
    std::vector<int> by_remainder = order;
    std::stable_sort(by_remainder.begin(), by_remainder.end(),
                     [&](int a, int b) { return remainder[a] > remainder[b]; });
    for (int k = 0; given < in.block_rows; ++k, ++given) ++quota[by_remainder[k % tiles]];
    std::vector<int> owner;
    owner.reserve(in.block_rows);
    for (int t : order) owner.insert(owner.end(), quota[t], t);
    return owner;
  }
};

NOCSIM_REGISTER(mapping_registry(), LocalityAware, "locality_aware",
                "tiles nearer their memory controller get proportionally more block-rows");

}  // namespace
}  // namespace nocsim::pe
