#pragma once
// What the ONNX fuzzer runs on each input (and tests/models/fuzz_corpus_test.cc on each checked-in
// input): the importer, the model built from it, and one inference on a zero input. A UserError is
// the expected outcome of garbage; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "configs/user_error.h"
#include "models/model.h"
#include "models/onnx/onnx_import.h"

namespace nocsim::models::fuzz {

// True when the input imported as a model.
inline bool run_onnx(const uint8_t* data, size_t size) {
  try {
    const config::ModelFile spec =
        import_onnx_bytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
    const Model m = Model::from_spec(spec, 0, "fuzz.onnx");
    m.forward_one(std::vector<float>(static_cast<size_t>(m.input_shape().size()), 0.0f));
    return true;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace nocsim::models::fuzz
