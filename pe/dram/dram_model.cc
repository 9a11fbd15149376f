#include "pe/dram/dram_model.h"

namespace nocsim::pe {

DramRegistry& dram_registry() {
  static DramRegistry registry("DRAM model");
  return registry;
}

}  // namespace nocsim::pe
