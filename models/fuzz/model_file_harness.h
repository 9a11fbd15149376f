#pragma once
// What the model-file fuzzer runs on each input (and tests/models/fuzz_corpus_test.cc on each
// checked-in input): the reader with every check, the model built from it, and one inference on
// a zero input. A UserError is the expected outcome of garbage; anything else (another exception,
// a sanitizer report, a crash) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "configs/user_error.h"
#include "models/model_file.h"

namespace nocsim::models::fuzz {

// True when the input loaded as a model.
inline bool run_model_file(const uint8_t* data, size_t size) {
  try {
    const config::ModelFile spec =
        parse_model_file(std::string(reinterpret_cast<const char*>(data), size), "fuzz.pb");
    const Model m = model_from_file(spec, "fuzz.pb");
    // The reader bounds every activation to 2^26 values; one inference stays cheap below 2^20.
    if (m.input_shape().size() <= (1 << 20)) {
      const std::vector<float> input(static_cast<size_t>(m.input_shape().size()), 0.0f);
      m.forward_one(input);
    }
    return true;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace nocsim::models::fuzz
