// Dimension-order routing, X first: all hops east/west, then north/south. Deterministic and
// deadlock free on a mesh; on a torus it takes the shorter way round each ring and uses dateline VC
// classes.
#include "noc/routing/dimension_order.h"

namespace nocsim::noc {

class XyRouting : public DimensionOrderRouting {
 public:
  XyRouting(const Topology& t, const config::NocConfig& cfg)
      : DimensionOrderRouting(t, cfg, /*x_first=*/true, "xy") {}
};

NOCSIM_REGISTER(routing_registry(), XyRouting, "xy",
                "dimension order, X then Y (datelines on a torus)");

}  // namespace nocsim::noc
