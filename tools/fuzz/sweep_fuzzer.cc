// libFuzzer entry point: see sweep_harness.h.
#include "tools/fuzz/sweep_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nocsim::tools::fuzz::run_sweep_file(data, size);
  return 0;
}
