// libFuzzer entry point shared by every decoder target: decodes arbitrary bytes with one codec in
// all its parameter variants (see decode_harness.h). Compiled once; each fuzz_<codec> target adds
// codec_name.cc, which names its codec.
#include <cstddef>
#include <cstdint>

#include "compression/fuzz/decode_harness.h"

extern "C" const char* nocsim_fuzz_codec_name();

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const nocsim::compression::fuzz::Harness harness(nocsim_fuzz_codec_name());
  harness.run(data, size);
  return 0;
}
