#pragma once
// Helpers shared by the models tests: random matrices and a once-per-process Fashion-MNIST load.
#include <cstdint>

#include "configs/rng.h"
#include "models/dataset.h"
#include "models/tensor.h"

namespace nocsim::models::test_util {

inline Matrix random_matrix(Rng& rng, int rows, int cols, double zero_fraction = 0.0) {
  Matrix m(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i)
      m(i, j) = rng.uniform() < zero_fraction ? 0.0f : static_cast<float>(rng.normal());
  return m;
}

inline const Dataset& fashion_train() {
  static const Dataset d = load_fashion_mnist("", Split::kTrain);
  return d;
}

inline const Dataset& fashion_test() {
  static const Dataset d = load_fashion_mnist("", Split::kTest);
  return d;
}

}  // namespace nocsim::models::test_util
