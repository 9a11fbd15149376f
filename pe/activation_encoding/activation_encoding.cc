#include "pe/activation_encoding/activation_encoding.h"

#include <algorithm>

namespace nocsim::pe {

ActivationEncodingRegistry& activation_encoding_registry() {
  static ActivationEncodingRegistry registry("activation encoding");
  return registry;
}

uint64_t count_nonzero(std::span<const float> values) {
  return static_cast<uint64_t>(
      std::count_if(values.begin(), values.end(), [](float v) { return v != 0.0f; }));
}

}  // namespace nocsim::pe
