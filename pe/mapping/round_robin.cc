// round_robin: block-row b of a layer goes to tile (b + r) mod T, where r counts the block-rows of
// all earlier layers, so that small layers (a 10-class output) do not all land on tile 0.
#include "pe/mapping/mapping.h"

namespace nocsim::pe {
namespace {

class RoundRobin : public Mapping {
 public:
  std::vector<int> assign(const MappingInput& in) const override {
    const int64_t tiles = static_cast<int64_t>(in.tile_hops.size());
    std::vector<int> owner(in.block_rows);
    for (int b = 0; b < in.block_rows; ++b)
      owner[b] = static_cast<int>((b + in.block_rows_before) % tiles);
    return owner;
  }
};

NOCSIM_REGISTER(mapping_registry(), RoundRobin, "round_robin",
                "block-rows dealt to the tiles in turn, continuing across layers");

}  // namespace
}  // namespace nocsim::pe
