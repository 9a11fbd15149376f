#pragma once
// Permuted-diagonal structure in imported weights: recognising layers whose weights already are
// PD (every p x p block has its non-zeros on one diagonal) and projecting dense ones onto PD.
//
// The weights are nq stacked m x n matrices (nq = 1 for a fully-connected layer, k*k kernel
// positions for a conv), element (q, row, col) at w[(row * n + col) * nq + q]: the row-major
// dense layout and the OIHW conv layout. The PD result is in the order of pd_dense / pd_conv2d
// (models/README.md): values[((bi * nq + q) * nb + bj) * p + r], offsets[(bi * nq + q) * nb + bj].
#include <cstdint>
#include <span>
#include <vector>

namespace nocsim::models::onnx_import {

struct StackedMatrices {
  std::span<const float> w;
  int nq = 1, m = 0, n = 0;
  float at(int q, int row, int col) const {
    return w[(static_cast<size_t>(row) * n + col) * nq + q];
  }
};

struct PdWeights {
  int p = 0;
  std::vector<float> values;
  std::vector<uint32_t> offsets;
};

// The largest p in [2, max_p] for which every block of every matrix keeps its non-zeros on one
// diagonal; 0 when there is none (or the weights are all zero).
int find_pd_block(const StackedMatrices& a, int max_p = 64);

// Per block, the diagonal with the largest sum of squares (the smallest offset on ties; exact
// when the weights are PD at p) and its values.
PdWeights project_to_pd(const StackedMatrices& a, int p);

}  // namespace nocsim::models::onnx_import
