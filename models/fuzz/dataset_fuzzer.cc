// libFuzzer entry point: see dataset_harness.h.
#include "models/fuzz/dataset_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nocsim::models::fuzz::run_dataset(data, size);
  return 0;
}
