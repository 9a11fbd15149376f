#include "pe/mapping/mapping.h"

namespace nocsim::pe {

MappingRegistry& mapping_registry() {
  static MappingRegistry registry("mapping strategy");
  return registry;
}

}  // namespace nocsim::pe
