// libFuzzer entry point: see onnx_harness.h. Seeds: corpus/onnx/ (seed_*), copies of two PyTorch
// test networks of tests/data/onnx/.
#include "models/fuzz/onnx_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nocsim::models::fuzz::run_onnx(data, size);
  return 0;
}
