#pragma once
// Activations of a batch: one row per sample, one column per feature (column-major), so that one
// feature over the whole batch is a contiguous column. Permuted-diagonal products then become
// vectorised axpys over the batch, and a conv's im2col GEMM writes its output in place.
// A tensor feature index is (channel * height + y) * width + x.
#include <Eigen/Core>

namespace nocsim::models {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;

}  // namespace nocsim::models
