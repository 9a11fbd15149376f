#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {

TrafficRegistry& traffic_registry() {
  static TrafficRegistry registry("traffic pattern");
  return registry;
}

}  // namespace nocsim::noc
