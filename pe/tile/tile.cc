#include "pe/tile/tile.h"

namespace nocsim::pe {

TileRegistry& tile_registry() {
  static TileRegistry registry("tile kind");
  return registry;
}

}  // namespace nocsim::pe
