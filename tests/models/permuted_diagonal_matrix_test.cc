#include "models/permuted_diagonal_matrix.h"

#include <gtest/gtest.h>

#include <tuple>

#include "configs/rng.h"
#include "test_util.h"

namespace nocsim::models {
namespace {

using test_util::random_matrix;

PermutedDiagonalMatrix random_pd(Rng& rng, int m, int n, int p) {
  PermutedDiagonalMatrix a(m, n, p);
  a.randomize_offsets(rng);
  std::vector<float> v(a.num_values());
  for (auto& x : v) x = static_cast<float>(rng.normal());
  a.set_values(v);
  return a;
}

// Random shapes (multiples of p and not), block sizes and offsets.
class PdShapes : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

TEST_P(PdShapes, ProductsMatchTheEquivalentDenseMatrix) {
  const auto [m, n, p] = GetParam();
  Rng rng(1000 + m * 31 + n * 7 + p);
  const PermutedDiagonalMatrix a = random_pd(rng, m, n, p);
  const Matrix dense = a.to_dense();
  // Structure: exactly one non-zero per row and column of every full block.
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      const bool on = static_cast<int>(((i % p) + a.offset(i / p, j / p)) % p) == j % p;
      if (!on) {
        EXPECT_EQ(dense(i, j), 0.0f);
      }
      EXPECT_EQ(a.at(i, j), dense(i, j));
    }

  const Matrix x = random_matrix(rng, 1, n, 0.3);
  std::vector<float> xv(x.data(), x.data() + n), y(m), xt(n);
  a.multiply(xv, y);
  const Eigen::VectorXf ref = dense * x.transpose();
  for (int i = 0; i < m; ++i) EXPECT_NEAR(y[i], ref(i), 1e-4f * (1 + std::abs(ref(i))));

  const Matrix yv = random_matrix(rng, 1, m);
  a.multiply_transposed(std::vector<float>(yv.data(), yv.data() + m), xt);
  const Eigen::VectorXf reft = dense.transpose() * yv.transpose();
  for (int j = 0; j < n; ++j) EXPECT_NEAR(xt[j], reft(j), 1e-4f * (1 + std::abs(reft(j))));

  const int batch = 37;
  const Matrix xb = random_matrix(rng, batch, n, 0.4);
  Matrix yb, dxb;
  a.multiply_batch(xb, yb);
  EXPECT_LT((yb - xb * dense.transpose()).cwiseAbs().maxCoeff(), 1e-4f * (1 + n));
  const Matrix dyb = random_matrix(rng, batch, m);
  a.multiply_transposed_batch(dyb, dxb);
  EXPECT_LT((dxb - dyb * dense).cwiseAbs().maxCoeff(), 1e-4f * (1 + m));

  std::vector<float> grad(a.num_values(), 0.0f);
  a.accumulate_gradient(xb, dyb, grad);
  const Matrix dense_grad = dyb.transpose() * xb;  // dL/dA for Y = X A^T
  for (int64_t v = 0; v < a.num_values(); ++v) {
    const int i = a.row_of(v), j = a.col_of(v);
    if (i < m && j < n)
      EXPECT_NEAR(grad[v], dense_grad(i, j), 1e-3f * (1 + std::abs(dense_grad(i, j))));
    else
      EXPECT_EQ(grad[v], 0.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(RandomShapes, PdShapes,
                         ::testing::Values(std::make_tuple(8, 8, 4), std::make_tuple(16, 24, 8),
                                           std::make_tuple(10, 7, 4), std::make_tuple(33, 65, 8),
                                           std::make_tuple(12, 12, 1), std::make_tuple(9, 30, 3),
                                           std::make_tuple(40, 20, 16), std::make_tuple(5, 5, 8),
                                           std::make_tuple(100, 784, 4),
                                           std::make_tuple(10, 100, 2)));

TEST(PermutedDiagonalMatrix, StoresMnOverPValuesAndOneOffsetPerBlock) {
  PermutedDiagonalMatrix a(1024, 1024, 8);
  EXPECT_EQ(a.num_values(), 1024 * 1024 / 8);
  EXPECT_EQ(a.offsets().size(), 128u * 128u);
  PermutedDiagonalMatrix padded(10, 7, 4);  // padded to 12 x 8
  EXPECT_EQ(padded.num_values(), 3 * 2 * 4);
}

TEST(PermutedDiagonalMatrix, BlockRowIsAContiguousRangeOfValues) {
  Rng rng(3);
  const PermutedDiagonalMatrix a = random_pd(rng, 16, 24, 4);
  for (int64_t v = 0; v < a.num_values(); ++v) {
    const int bi = a.row_of(v) / 4;
    EXPECT_GE(v, int64_t{bi} * a.block_cols() * 4);
    EXPECT_LT(v, int64_t{bi + 1} * a.block_cols() * 4);
  }
}

TEST(PermutedDiagonalMatrix, VectorBlockRowAndBatchedProductsAreBitIdentical) {
  Rng rng(5);
  const PermutedDiagonalMatrix a = random_pd(rng, 60, 90, 4);
  const Matrix xb = random_matrix(rng, 9, 90, 0.5);
  Matrix yb;
  a.multiply_batch(xb, yb);
  for (int b = 0; b < 9; ++b) {
    std::vector<float> x(90), y(60, -1.0f), yr(60, -1.0f);
    for (int j = 0; j < 90; ++j) x[j] = xb(b, j);
    a.multiply(x, y);
    a.multiply_block_rows(x, yr, 0, 7);
    a.multiply_block_rows(x, yr, 7, 15);
    for (int i = 0; i < 60; ++i) {
      EXPECT_EQ(y[i], yb(b, i));
      EXPECT_EQ(yr[i], y[i]);
    }
  }
}

TEST(PermutedDiagonalMatrix, SkipsZeroActivationsAndCountsOnlyPerformedMacs) {
  Rng rng(7);
  const PermutedDiagonalMatrix a = random_pd(rng, 32, 64, 8);
  std::vector<float> x(64, 0.0f), y(32, 5.0f);
  EXPECT_EQ(a.multiply(x, y), 0u);
  for (float v : y) EXPECT_EQ(v, 0.0f);
  x[3] = 1.0f;
  x[40] = -2.0f;
  // Each non-zero input meets one non-zero per block-row: 2 inputs x 4 block-rows.
  EXPECT_EQ(a.multiply(x, y), 8u);
  std::vector<float> part(32, 7.0f);
  EXPECT_EQ(a.multiply_block_rows(x, part, 1, 3), 4u);
  for (int i = 0; i < 32; ++i) {
    if (i >= 8 && i < 24)
      EXPECT_EQ(part[i], y[i]);
    else
      EXPECT_EQ(part[i], 7.0f);  // rows outside the range are not touched
  }
}

TEST(PermutedDiagonalMatrix, RejectsBadOffsetsAndSizes) {
  PermutedDiagonalMatrix a(8, 8, 4);
  EXPECT_THROW(a.set_offsets(std::vector<uint32_t>(4, 4)), std::invalid_argument);
  EXPECT_THROW(a.set_offsets(std::vector<uint32_t>(3, 0)), std::invalid_argument);
  EXPECT_THROW(a.set_values(std::vector<float>(5)), std::invalid_argument);
  EXPECT_THROW(PermutedDiagonalMatrix(0, 4, 2), std::invalid_argument);
  std::vector<float> x(8), y(8);
  EXPECT_THROW(a.multiply_block_rows(x, y, 1, 3), std::invalid_argument);
}

TEST(PermutedDiagonalMatrix, PaddingStaysZeroWhateverValuesAreSet) {
  Rng rng(9);
  PermutedDiagonalMatrix a(10, 7, 4);
  a.randomize_offsets(rng);
  a.set_values(std::vector<float>(a.num_values(), 1.0f));
  int64_t real = 0;
  for (int64_t v = 0; v < a.num_values(); ++v) {
    const bool padded = a.row_of(v) >= 10 || a.col_of(v) >= 7;
    EXPECT_EQ(a.values()[v], padded ? 0.0f : 1.0f);
    real += !padded;
  }
  EXPECT_EQ(a.to_dense().sum(), static_cast<float>(real));
}

}  // namespace
}  // namespace nocsim::models
