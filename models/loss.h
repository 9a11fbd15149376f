#pragma once
// Softmax + cross-entropy on logits, the training loss of every classifier here.
#include <cstdint>
#include <span>

#include "models/tensor.h"

namespace nocsim::models {

// Mean cross-entropy of softmax(logits) (B x classes) against `labels`; when `dlogits` is not null
// it receives d(mean loss)/d(logits). Numerically stable (max subtracted).
double softmax_cross_entropy(const Matrix& logits, std::span<const uint8_t> labels,
                             Matrix* dlogits);

}  // namespace nocsim::models
