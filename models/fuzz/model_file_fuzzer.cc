// libFuzzer entry point: see model_file_harness.h.
#include "models/fuzz/model_file_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nocsim::models::fuzz::run_model_file(data, size);
  return 0;
}
