#include "models/permuted_diagonal_matrix.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "configs/rng.h"

namespace nocsim::models {

namespace {

// Batch rows are processed in chunks so that one chunk of every input column stays in cache while
// all block-rows stream over it.
constexpr int kBatchChunk = 128;

// Fixed-order dot product: eight partial sums combined the same way every time (deterministic).
float dot(const float* a, const float* b, int n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) acc[j] += a[i + j] * b[i + j];
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
}

// One block-row range of y = A x on a doubled input: xx holds each p-block of x twice, so the
// rotated block x[(r + k) mod p] is the contiguous slice xx[bj*2p + k .. + p).
template <int P>
void block_rows_kernel(const float* values, const uint32_t* offsets, const float* xx,
                       const uint8_t* live, int nb, int p_runtime, int bi_begin, int bi_end,
                       float* y_blocks) {
  const int p = P > 0 ? P : p_runtime;
  float acc[P > 0 ? P : 64];
  for (int bi = bi_begin; bi < bi_end; ++bi) {
    for (int r = 0; r < p; ++r) acc[r] = 0.0f;
    const float* w = values + static_cast<size_t>(bi) * nb * p;
    const uint32_t* k = offsets + static_cast<size_t>(bi) * nb;
    for (int bj = 0; bj < nb; ++bj) {
      if (!live[bj]) continue;
      const float* xs = xx + static_cast<size_t>(bj) * 2 * p + k[bj];
      const float* wb = w + static_cast<size_t>(bj) * p;
      for (int r = 0; r < p; ++r) acc[r] += wb[r] * xs[r];
    }
    for (int r = 0; r < p; ++r) y_blocks[static_cast<size_t>(bi - bi_begin) * p + r] = acc[r];
  }
}

}  // namespace

PermutedDiagonalMatrix::PermutedDiagonalMatrix(int rows, int cols, int p)
    : m_(rows), n_(cols), p_(p) {
  if (rows < 1 || cols < 1 || p < 1)
    throw std::invalid_argument("permuted-diagonal matrix needs rows, cols, p >= 1 (got " +
                                std::to_string(rows) + "x" + std::to_string(cols) +
                                ", p=" + std::to_string(p) + ")");
  mb_ = (m_ + p_ - 1) / p_;
  nb_ = (n_ + p_ - 1) / p_;
  values_.assign(static_cast<size_t>(mb_) * nb_ * p_, 0.0f);
  offsets_.assign(static_cast<size_t>(mb_) * nb_, 0);
}

void PermutedDiagonalMatrix::set_offsets(std::span<const uint32_t> offsets) {
  if (offsets.size() != offsets_.size())
    throw std::invalid_argument("expected " + std::to_string(offsets_.size()) + " offsets, got " +
                                std::to_string(offsets.size()));
  for (uint32_t k : offsets)
    if (k >= static_cast<uint32_t>(p_))
      throw std::invalid_argument("offset " + std::to_string(k) +
                                  " is not below p=" + std::to_string(p_));
  // Padded positions move with the offsets: keep the values, then re-zero the padding.
  std::copy(offsets.begin(), offsets.end(), offsets_.begin());
  zero_padding();
}

void PermutedDiagonalMatrix::randomize_offsets(Rng& rng) {
  for (auto& k : offsets_) k = rng.below(static_cast<uint32_t>(p_));
  zero_padding();
}

void PermutedDiagonalMatrix::set_values(std::span<const float> values) {
  if (values.size() != values_.size())
    throw std::invalid_argument("expected " + std::to_string(values_.size()) + " values, got " +
                                std::to_string(values.size()));
  std::copy(values.begin(), values.end(), values_.begin());
  zero_padding();
}

int PermutedDiagonalMatrix::row_of(int64_t index) const {
  const int64_t block = index / p_;
  return static_cast<int>(block / nb_) * p_ + static_cast<int>(index % p_);
}

int PermutedDiagonalMatrix::col_of(int64_t index) const {
  const int64_t block = index / p_;
  const int r = static_cast<int>(index % p_);
  return static_cast<int>(block % nb_) * p_ + static_cast<int>((r + offsets_[block]) % p_);
}

void PermutedDiagonalMatrix::zero_padding() {
  if (m_ % p_ == 0 && n_ % p_ == 0) return;
  for (int64_t v = 0; v < num_values(); ++v)
    if (row_of(v) >= m_ || col_of(v) >= n_) values_[v] = 0.0f;
}

float PermutedDiagonalMatrix::at(int i, int j) const {
  const int bi = i / p_, bj = j / p_, r = i % p_;
  if (static_cast<int>((r + offset(bi, bj)) % p_) != j % p_) return 0.0f;
  return values_[(static_cast<size_t>(bi) * nb_ + bj) * p_ + r];
}

Matrix PermutedDiagonalMatrix::to_dense() const {
  Matrix d = Matrix::Zero(m_, n_);
  for (int64_t v = 0; v < num_values(); ++v) {
    const int i = row_of(v), j = col_of(v);
    if (i < m_ && j < n_) d(i, j) = values_[v];
  }
  return d;
}

void PermutedDiagonalMatrix::assign_from_dense(const Matrix& dense) {
  if (dense.rows() != m_ || dense.cols() != n_)
    throw std::invalid_argument("assign_from_dense: shape mismatch");
  for (int64_t v = 0; v < num_values(); ++v) {
    const int i = row_of(v), j = col_of(v);
    values_[v] = (i < m_ && j < n_) ? dense(i, j) : 0.0f;
  }
}

uint64_t PermutedDiagonalMatrix::multiply(std::span<const float> x, std::span<float> y) const {
  return multiply_block_rows(x, y, 0, mb_);
}

uint64_t PermutedDiagonalMatrix::multiply_block_rows(std::span<const float> x, std::span<float> y,
                                                     int bi_begin, int bi_end) const {
  if (static_cast<int>(x.size()) < n_ || static_cast<int>(y.size()) < m_ || bi_begin < 0 ||
      bi_end > mb_ || bi_begin > bi_end)
    throw std::invalid_argument("multiply_block_rows: bad sizes or block-row range");
  // Per-call scratch reused across calls on the same thread: no allocation in steady state.
  thread_local std::vector<float> xx, out;
  thread_local std::vector<uint8_t> live;
  xx.assign(static_cast<size_t>(nb_) * 2 * p_, 0.0f);
  live.assign(nb_, 0);
  uint64_t nonzero = 0;
  for (int bj = 0; bj < nb_; ++bj) {
    for (int s = 0; s < p_; ++s) {
      const int c = bj * p_ + s;
      const float v = c < n_ ? x[c] : 0.0f;
      xx[static_cast<size_t>(bj) * 2 * p_ + s] = v;
      xx[static_cast<size_t>(bj) * 2 * p_ + p_ + s] = v;
      if (v != 0.0f) {
        live[bj] = 1;
        ++nonzero;
      }
    }
  }
  out.resize(static_cast<size_t>(bi_end - bi_begin) * p_);
  switch (p_) {
    case 1:
      block_rows_kernel<1>(values_.data(), offsets_.data(), xx.data(), live.data(), nb_, p_,
                           bi_begin, bi_end, out.data());
      break;
    case 2:
      block_rows_kernel<2>(values_.data(), offsets_.data(), xx.data(), live.data(), nb_, p_,
                           bi_begin, bi_end, out.data());
      break;
    case 4:
      block_rows_kernel<4>(values_.data(), offsets_.data(), xx.data(), live.data(), nb_, p_,
                           bi_begin, bi_end, out.data());
      break;
    case 8:
      block_rows_kernel<8>(values_.data(), offsets_.data(), xx.data(), live.data(), nb_, p_,
                           bi_begin, bi_end, out.data());
      break;
    case 16:
      block_rows_kernel<16>(values_.data(), offsets_.data(), xx.data(), live.data(), nb_, p_,
                            bi_begin, bi_end, out.data());
      break;
    default:
      if (p_ <= 64) {
        block_rows_kernel<0>(values_.data(), offsets_.data(), xx.data(), live.data(), nb_, p_,
                             bi_begin, bi_end, out.data());
      } else {
        // Large p: plain per-element loop in the same accumulation order.
        for (int bi = bi_begin; bi < bi_end; ++bi)
          for (int r = 0; r < p_; ++r) {
            float acc = 0.0f;
            for (int bj = 0; bj < nb_; ++bj) {
              if (!live[bj]) continue;
              const size_t b = static_cast<size_t>(bi) * nb_ + bj;
              acc += values_[b * p_ + r] * xx[static_cast<size_t>(bj) * 2 * p_ + offsets_[b] + r];
            }
            out[static_cast<size_t>(bi - bi_begin) * p_ + r] = acc;
          }
      }
  }
  uint64_t macs = 0;
  for (int bi = bi_begin; bi < bi_end; ++bi) {
    const int row0 = bi * p_;
    const int rows_here = std::min(p_, m_ - row0);
    for (int r = 0; r < rows_here; ++r)
      y[row0 + r] = out[static_cast<size_t>(bi - bi_begin) * p_ + r];
    if (rows_here == p_) {
      macs += nonzero;  // each non-zero input meets exactly one non-zero of this block-row
    } else {
      for (int bj = 0; bj < nb_; ++bj)
        for (int r = 0; r < rows_here; ++r) {
          const int c = bj * p_ + static_cast<int>((r + offset(bi, bj)) % p_);
          if (c < n_ && x[c] != 0.0f) ++macs;
        }
    }
  }
  return macs;
}

void PermutedDiagonalMatrix::multiply_transposed(std::span<const float> y,
                                                 std::span<float> x) const {
  if (static_cast<int>(x.size()) < n_ || static_cast<int>(y.size()) < m_)
    throw std::invalid_argument("multiply_transposed: bad sizes");
  std::fill(x.begin(), x.begin() + n_, 0.0f);
  for (int bi = 0; bi < mb_; ++bi)
    for (int bj = 0; bj < nb_; ++bj) {
      const size_t b = static_cast<size_t>(bi) * nb_ + bj;
      for (int r = 0; r < p_; ++r) {
        const int i = bi * p_ + r;
        const int j = bj * p_ + static_cast<int>((r + offsets_[b]) % p_);
        if (i < m_ && j < n_ && y[i] != 0.0f) x[j] += values_[b * p_ + r] * y[i];
      }
    }
}

void PermutedDiagonalMatrix::multiply_batch(const Matrix& x, Matrix& y) const {
  if (x.cols() != n_) throw std::invalid_argument("multiply_batch: input has wrong width");
  const int batch = static_cast<int>(x.rows());
  y.setZero(batch, m_);
  thread_local std::vector<uint8_t> live;
  for (int b0 = 0; b0 < batch; b0 += kBatchChunk) {
    const int len = std::min(kBatchChunk, batch - b0);
    live.assign(n_, 0);
    for (int c = 0; c < n_; ++c) {
      const float* xc = x.data() + static_cast<size_t>(c) * batch + b0;
      for (int b = 0; b < len; ++b)
        if (xc[b] != 0.0f) {
          live[c] = 1;
          break;
        }
    }
    for (int bi = 0; bi < mb_; ++bi)
      for (int bj = 0; bj < nb_; ++bj) {
        const size_t blk = static_cast<size_t>(bi) * nb_ + bj;
        const uint32_t k = offsets_[blk];
        for (int r = 0; r < p_; ++r) {
          const int i = bi * p_ + r;
          const int j = bj * p_ + static_cast<int>((r + k) % p_);
          if (i >= m_ || j >= n_ || !live[j]) continue;
          const float w = values_[blk * p_ + r];
          float* __restrict yi = y.data() + static_cast<size_t>(i) * batch + b0;
          const float* __restrict xj = x.data() + static_cast<size_t>(j) * batch + b0;
          for (int b = 0; b < len; ++b) yi[b] += w * xj[b];
        }
      }
  }
}

void PermutedDiagonalMatrix::multiply_transposed_batch(const Matrix& dy, Matrix& dx) const {
  if (dy.cols() != m_) throw std::invalid_argument("multiply_transposed_batch: wrong width");
  const int batch = static_cast<int>(dy.rows());
  dx.setZero(batch, n_);
  for (int b0 = 0; b0 < batch; b0 += kBatchChunk) {
    const int len = std::min(kBatchChunk, batch - b0);
    for (int bi = 0; bi < mb_; ++bi)
      for (int bj = 0; bj < nb_; ++bj) {
        const size_t blk = static_cast<size_t>(bi) * nb_ + bj;
        const uint32_t k = offsets_[blk];
        for (int r = 0; r < p_; ++r) {
          const int i = bi * p_ + r;
          const int j = bj * p_ + static_cast<int>((r + k) % p_);
          if (i >= m_ || j >= n_) continue;
          const float w = values_[blk * p_ + r];
          float* __restrict xj = dx.data() + static_cast<size_t>(j) * batch + b0;
          const float* __restrict yi = dy.data() + static_cast<size_t>(i) * batch + b0;
          for (int b = 0; b < len; ++b) xj[b] += w * yi[b];
        }
      }
  }
}

void PermutedDiagonalMatrix::accumulate_gradient(const Matrix& x, const Matrix& dy,
                                                 std::span<float> grad) const {
  if (x.cols() != n_ || dy.cols() != m_ || x.rows() != dy.rows() ||
      static_cast<int64_t>(grad.size()) != num_values())
    throw std::invalid_argument("accumulate_gradient: shape mismatch");
  const int batch = static_cast<int>(x.rows());
  for (int64_t v = 0; v < num_values(); ++v) {
    const int i = row_of(v), j = col_of(v);
    if (i >= m_ || j >= n_) continue;
    grad[v] += dot(dy.data() + static_cast<size_t>(i) * batch,
                   x.data() + static_cast<size_t>(j) * batch, batch);
  }
}

}  // namespace nocsim::models
