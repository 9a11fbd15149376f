#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

RoutingRegistry& routing_registry() {
  static RoutingRegistry registry("routing algorithm");
  return registry;
}

}  // namespace nocsim::noc
