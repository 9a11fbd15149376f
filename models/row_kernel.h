#pragma once
// What a PE tile needs from a layer: one sample, only the outputs of block-rows [begin, end),
// zero inputs skipped, MACs performed returned. `Layer` (float kernels) and `QuantizedLayer`
// (the configured datapath, models/quantized_model.h) both provide it.
#include <cstdint>
#include <span>

namespace nocsim::models {

class RowKernel {
 public:
  virtual ~RowKernel() = default;
  virtual uint64_t forward_rows(std::span<const float> x, std::span<float> y, int begin,
                                int end) const = 0;
};

}  // namespace nocsim::models
