#pragma once
// An m x n permuted-diagonal (PermDNN) matrix: p x p blocks, block (i, j) holds p non-zeros at
// (r, (r + k_ij) mod p). Dimensions that are not multiples of p are padded up to the next multiple;
// padded rows/columns hold stored zeros that no product ever reads or writes.
//
// Value order (the flat parameter vector): block-row major, then block-column, then r:
//   values[((bi * nb) + bj) * p + r] = A(bi*p + r, bj*p + (r + k[bi*nb + bj]) mod p)
// so block-row bi is the contiguous range [bi*nb*p, (bi+1)*nb*p), which is what a PE tile receives.
//
// Every product accumulates each output over the block-columns in increasing order and skips zero
// inputs, so the vector, row-range and batched products give bit-identical results.
#include <cstdint>
#include <span>
#include <vector>

#include "models/tensor.h"

namespace nocsim {
class Rng;
}

namespace nocsim::models {

class PermutedDiagonalMatrix {
 public:
  PermutedDiagonalMatrix() = default;
  // Zero values, zero offsets. Requires m, n, p >= 1.
  PermutedDiagonalMatrix(int rows, int cols, int p);

  int rows() const { return m_; }
  int cols() const { return n_; }
  int block_size() const { return p_; }
  int block_rows() const { return mb_; }
  int block_cols() const { return nb_; }
  // Stored values: block_rows * block_cols * p (= m*n/p when p divides both).
  int64_t num_values() const { return static_cast<int64_t>(values_.size()); }

  std::span<float> values() { return values_; }
  std::span<const float> values() const { return values_; }
  std::span<const uint32_t> offsets() const { return offsets_; }
  uint32_t offset(int bi, int bj) const { return offsets_[static_cast<size_t>(bi) * nb_ + bj]; }
  // Offsets in [0, p), one per block in block-row-major order; throws std::invalid_argument.
  void set_offsets(std::span<const uint32_t> offsets);
  void randomize_offsets(Rng& rng);
  // Replaces the values; padded positions are forced to zero.
  void set_values(std::span<const float> values);
  // Element (i, j), zero off the diagonals.
  float at(int i, int j) const;
  // Column index of value `index` and its row.
  int row_of(int64_t index) const;
  int col_of(int64_t index) const;

  Matrix to_dense() const;
  // Keeps only the entries on the diagonals of `dense` (m x n): the projection onto this structure.
  void assign_from_dense(const Matrix& dense);

  // y = A x (y resized to m). Zero entries of x are skipped; returns MACs performed.
  uint64_t multiply(std::span<const float> x, std::span<float> y) const;
  // Rows of block-rows [bi_begin, bi_end) of y = A x; other entries of y untouched.
  uint64_t multiply_block_rows(std::span<const float> x, std::span<float> y, int bi_begin,
                               int bi_end) const;
  // x = A^T y (x resized to n).
  void multiply_transposed(std::span<const float> y, std::span<float> x) const;

  // Batched, samples as rows: Y (B x m) = X (B x n) A^T. Columns of X that are zero over the
  // whole batch are skipped.
  void multiply_batch(const Matrix& x, Matrix& y) const;
  // dX (B x n) = dY (B x m) A  (the back-propagated gradient).
  void multiply_transposed_batch(const Matrix& dy, Matrix& dx) const;
  // grad[v] += sum_b dY(b, row(v)) * X(b, col(v)): the gradient of the stored values.
  void accumulate_gradient(const Matrix& x, const Matrix& dy, std::span<float> grad) const;

 private:
  void zero_padding();

  int m_ = 0, n_ = 0, p_ = 1, mb_ = 0, nb_ = 0;
  std::vector<float> values_;
  std::vector<uint32_t> offsets_;
};

}  // namespace nocsim::models
