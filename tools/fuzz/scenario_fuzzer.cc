// libFuzzer entry point: see scenario_harness.h.
#include "tools/fuzz/scenario_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nocsim::tools::fuzz::run_scenario(data, size);
  return 0;
}
