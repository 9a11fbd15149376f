#pragma once
// What a codec may know about the layer it encodes besides the weights themselves.
#include <cstdint>
#include <string>
#include <vector>

namespace nocsim::compression {

struct LayerContext {
  std::string name;            // "fc1"; used in messages
  std::vector<int64_t> shape;  // logical shape of the weight tensor (informative)
};

}  // namespace nocsim::compression
