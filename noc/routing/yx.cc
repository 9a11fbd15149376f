// Dimension-order routing, Y first: all hops north/south, then east/west. The mirror of xy, with
// the same torus datelines.
#include "noc/routing/dimension_order.h"

namespace nocsim::noc {

class YxRouting : public DimensionOrderRouting {
 public:
  YxRouting(const Topology& t, const config::NocConfig& cfg)
      : DimensionOrderRouting(t, cfg, /*x_first=*/false, "yx") {}
};

NOCSIM_REGISTER(routing_registry(), YxRouting, "yx",
                "dimension order, Y then X (datelines on a torus)");

}  // namespace nocsim::noc
