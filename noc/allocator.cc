#include "noc/allocator.h"

namespace nocsim::noc {

AllocatorRegistry& allocator_registry() {
  static AllocatorRegistry registry("allocator");
  return registry;
}

}  // namespace nocsim::noc
