#include "models/permuted_diagonal_matrix.h"

#include <algorithm>
#include <cstring>
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

// Four floats in one SIMD register (GCC/Clang vector extension: SSE on x86-64, NEON on ARM).
// Loads and stores go through memcpy, so no alignment is assumed.
typedef float Float4 __attribute__((vector_size(16)));

inline Float4 load4(const float* p) {
  Float4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(float* p, Float4 v) {
  std::memcpy(p, &v, sizeof v);
}

// One block-row range of y = A x on a doubled input: xx holds each p-block of x twice, so the
// rotated block x[(r + k) mod p] is the contiguous slice xx[bj*2p + k .. + p).
// Generic p: one block-row at a time.
void block_rows_scalar(const float* values, const uint32_t* offsets, const float* xx,
                       const uint8_t* live, int nb, int p, int bi_begin, int bi_end,
                       float* y_blocks) {
  float acc[64];
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

// p a multiple of 4: R block-rows advance together in SIMD registers. Their sums are independent
// dependency chains (the add latency, not the loads, bounds a single chain), while each output
// still sums its block-columns in increasing order, exactly as block_rows_scalar does.
template <int P, int R>
void block_rows_simd(const float* values, const uint32_t* offsets, const float* xx,
                     const uint8_t* live, int nb, int bi_begin, int bi_end, float* y_blocks) {
  constexpr int V = P / 4;
  int bi = bi_begin;
  for (; bi + R <= bi_end; bi += R) {
    Float4 acc[R][V] = {};
    const float* w = values + static_cast<size_t>(bi) * nb * P;
    const uint32_t* k = offsets + static_cast<size_t>(bi) * nb;
    for (int bj = 0; bj < nb; ++bj) {
      if (!live[bj]) continue;
      const float* xb = xx + static_cast<size_t>(bj) * 2 * P;
      for (int g = 0; g < R; ++g) {
        const float* xs = xb + k[static_cast<size_t>(g) * nb + bj];
        const float* wb = w + (static_cast<size_t>(g) * nb + bj) * P;
        for (int u = 0; u < V; ++u) acc[g][u] += load4(wb + 4 * u) * load4(xs + 4 * u);
      }
    }
    for (int g = 0; g < R; ++g)
      for (int u = 0; u < V; ++u)
        store4(y_blocks + static_cast<size_t>(bi - bi_begin + g) * P + 4 * u, acc[g][u]);
  }
  block_rows_scalar(values, offsets, xx, live, nb, P, bi, bi_end,
                    y_blocks + static_cast<size_t>(bi - bi_begin) * P);
}

// Samples per register tile of the batched product: 32 floats = 8 SIMD accumulators, enough
// independent chains to hide the add latency while the tile stays in registers over all
// block-columns of one output row.
constexpr int kTile = 32;

// Output row i of the batched product over samples [b0, b0 + len): y(b, i) = sum over the live
// terms t (block-columns in increasing order) of weights[t] * x(b, cols[t]).
void batch_row(const float* x, int64_t batch, int b0, int len, const int* cols,
               const float* weights, int terms, float* y) {
  int s = 0;
  for (; s + kTile <= len; s += kTile) {
    Float4 acc[kTile / 4] = {};
    for (int t = 0; t < terms; ++t) {
      const float w = weights[t];
      const float* xj = x + cols[t] * batch + b0 + s;
      for (int u = 0; u < kTile / 4; ++u) acc[u] += w * load4(xj + 4 * u);
    }
    for (int u = 0; u < kTile / 4; ++u) store4(y + b0 + s + 4 * u, acc[u]);
  }
  if (s < len) {
    float acc[kTile] = {};
    const int rest = len - s;
    for (int t = 0; t < terms; ++t) {
      const float w = weights[t];
      const float* xj = x + cols[t] * batch + b0 + s;
      for (int u = 0; u < rest; ++u) acc[u] += w * xj[u];
    }
    for (int u = 0; u < rest; ++u) y[b0 + s + u] = acc[u];
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
  xx.resize(static_cast<size_t>(nb_) * 2 * p_);
  live.resize(nb_);
  uint64_t nonzero = 0;
  for (int bj = 0; bj < nb_; ++bj) {
    float* dst = xx.data() + static_cast<size_t>(bj) * 2 * p_;
    const int c0 = bj * p_;
    const int here = std::min(p_, n_ - c0);
    bool any = false;
    for (int s = 0; s < here; ++s) {
      const float v = x[c0 + s];
      dst[s] = v;
      dst[p_ + s] = v;
      nonzero += v != 0.0f;
      any |= v != 0.0f;
    }
    for (int s = here; s < p_; ++s) dst[s] = dst[p_ + s] = 0.0f;
    live[bj] = any;
  }
  out.resize(static_cast<size_t>(bi_end - bi_begin) * p_);
  const float* v = values_.data();
  const uint32_t* k = offsets_.data();
  switch (p_) {
    case 4:
      block_rows_simd<4, 4>(v, k, xx.data(), live.data(), nb_, bi_begin, bi_end, out.data());
      break;
    case 8:
      block_rows_simd<8, 4>(v, k, xx.data(), live.data(), nb_, bi_begin, bi_end, out.data());
      break;
    case 16:
      block_rows_simd<16, 2>(v, k, xx.data(), live.data(), nb_, bi_begin, bi_end, out.data());
      break;
    default:
      if (p_ <= 64) {
        block_rows_scalar(v, k, xx.data(), live.data(), nb_, p_, bi_begin, bi_end, out.data());
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
  y.resize(batch, m_);
  thread_local std::vector<uint8_t> live;
  thread_local std::vector<int> cols;
  thread_local std::vector<float> weights;
  cols.resize(nb_);
  weights.resize(nb_);
  for (int b0 = 0; b0 < batch; b0 += kBatchChunk) {
    const int len = std::min(kBatchChunk, batch - b0);
    // Columns that are zero over the whole chunk are skipped (padded columns never exist).
    live.assign(static_cast<size_t>(nb_) * p_, 0);
    for (int c = 0; c < n_; ++c) {
      const float* xc = x.data() + static_cast<size_t>(c) * batch + b0;
      for (int b = 0; b < len; ++b)
        if (xc[b] != 0.0f) {
          live[c] = 1;
          break;
        }
    }
    for (int i = 0; i < m_; ++i) {
      const int bi = i / p_, r = i % p_;
      const uint32_t* k = offsets_.data() + static_cast<size_t>(bi) * nb_;
      const float* w = values_.data() + static_cast<size_t>(bi) * nb_ * p_ + r;
      int terms = 0;
      for (int bj = 0; bj < nb_; ++bj) {
        int rk = r + static_cast<int>(k[bj]);
        if (rk >= p_) rk -= p_;
        const int j = bj * p_ + rk;
        if (!live[j]) continue;
        cols[terms] = j;
        weights[terms] = w[static_cast<size_t>(bj) * p_];
        ++terms;
      }
      batch_row(x.data(), batch, b0, len, cols.data(), weights.data(), terms,
                y.data() + static_cast<size_t>(i) * batch);
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
