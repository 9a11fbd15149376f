#include "pe/tile/tile.h"

#include "configs/user_error.h"

namespace nocsim::pe {

TileRegistry& tile_registry() {
  static TileRegistry registry("tile kind");
  return registry;
}

uint64_t compute_share_rows(const TileTask& t) {
  uint64_t macs = 0;
  if (t.layer != nullptr)
    for (const auto& [b0, b1] : t.share->runs)
      macs += t.layer->forward_rows(t.input, t.output, b0, b1);
  return macs;
}

uint64_t share_dense_macs(const Stage& stage, const Share& share) {
  return static_cast<uint64_t>(stage.macs / stage.block_rows) * share.block_rows;
}

void refuse_stage(const Stage& stage, const std::string& tile_kind, const std::string& why) {
  throw UserError("accelerator.tile.kind", "tile kind \"" + tile_kind + "\" cannot run layer '" +
                                               stage.name + "' (" + stage.kind + "): " + why);
}

}  // namespace nocsim::pe
