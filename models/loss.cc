#include "models/loss.h"

#include <cmath>

namespace nocsim::models {

double softmax_cross_entropy(const Matrix& logits, std::span<const uint8_t> labels,
                             Matrix* dlogits) {
  const int batch = static_cast<int>(logits.rows());
  const int classes = static_cast<int>(logits.cols());
  if (dlogits != nullptr) dlogits->resize(batch, classes);
  double total = 0.0;
  for (int b = 0; b < batch; ++b) {
    const float mx = logits.row(b).maxCoeff();
    double sum = 0.0;
    for (int c = 0; c < classes; ++c) sum += std::exp(static_cast<double>(logits(b, c) - mx));
    const double log_sum = std::log(sum);
    total += log_sum - (logits(b, labels[b]) - mx);
    if (dlogits != nullptr)
      for (int c = 0; c < classes; ++c) {
        const double prob = std::exp(static_cast<double>(logits(b, c) - mx) - log_sum);
        (*dlogits)(b, c) = static_cast<float>((prob - (c == labels[b] ? 1.0 : 0.0)) / batch);
      }
  }
  return batch == 0 ? 0.0 : total / batch;
}

}  // namespace nocsim::models
