// libFuzzer entry point: see trace_harness.h.
#include "noc/traffic/fuzz/trace_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nocsim::noc::fuzz::run_trace_text(data, size);
  return 0;
}
