// Speed of the permuted-diagonal kernels against dense Eigen, and of full test-set accuracy.
// Everything runs on one core: Eigen is pinned to one thread so that the dense GEMM baseline and
// the accuracy figures are single-core numbers (the README's targets are stated per core).
#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include "configs/rng.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "models/permuted_diagonal_matrix.h"

namespace nocsim::models {
namespace {

[[maybe_unused]] const bool kOneThread = [] {
  Eigen::setNbThreads(1);
  return true;
}();

PermutedDiagonalMatrix random_pd(int n, int p) {
  Rng rng(1);
  PermutedDiagonalMatrix a(n, n, p);
  a.randomize_offsets(rng);
  std::vector<float> v(a.num_values());
  for (auto& x : v) x = static_cast<float>(rng.normal());
  a.set_values(v);
  return a;
}

std::vector<float> random_vector(int n) {
  Rng rng(2);
  std::vector<float> x(n);
  for (auto& v : x) v = static_cast<float>(rng.normal());
  return x;
}

void BM_DenseMatVec1024(benchmark::State& state) {
  Rng rng(1);
  Matrix a(1024, 1024);
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = static_cast<float>(rng.normal());
  const std::vector<float> xv = random_vector(1024);
  const Eigen::Map<const Eigen::VectorXf> x(xv.data(), 1024);
  Eigen::VectorXf y(1024);
  for (auto _ : state) {
    y.noalias() = a * x;
    benchmark::DoNotOptimize(y.data());
  }
}
BENCHMARK(BM_DenseMatVec1024)->Unit(benchmark::kMicrosecond);

void BM_PdMatVec1024(benchmark::State& state) {
  const PermutedDiagonalMatrix a = random_pd(1024, static_cast<int>(state.range(0)));
  const std::vector<float> x = random_vector(1024);
  std::vector<float> y(1024);
  for (auto _ : state) {
    a.multiply(x, y);
    benchmark::DoNotOptimize(y.data());
  }
}
BENCHMARK(BM_PdMatVec1024)->Arg(4)->Arg(8)->Unit(benchmark::kMicrosecond);

// Batched: 64 activation vectors at once (samples as rows).
void BM_DenseBatch1024(benchmark::State& state) {
  Rng rng(1);
  Matrix a(1024, 1024), x(64, 1024), y;
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = static_cast<float>(rng.normal());
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.normal());
  for (auto _ : state) {
    y.noalias() = x * a.transpose();
    benchmark::DoNotOptimize(y.data());
  }
}
BENCHMARK(BM_DenseBatch1024)->Unit(benchmark::kMicrosecond);

void BM_PdBatch1024(benchmark::State& state) {
  const PermutedDiagonalMatrix a = random_pd(1024, static_cast<int>(state.range(0)));
  Rng rng(3);
  Matrix x(64, 1024), y;
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.normal());
  for (auto _ : state) {
    a.multiply_batch(x, y);
    benchmark::DoNotOptimize(y.data());
  }
}
BENCHMARK(BM_PdBatch1024)->Arg(4)->Arg(8)->Unit(benchmark::kMicrosecond);

// Accuracy of a shipped model on all 10,000 test images (data loaded once, outside the timing).
void BM_TestSetAccuracy(benchmark::State& state, const char* file) {
  const Model m = load_model(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/" + file);
  const Dataset test = load_fashion_mnist("", Split::kTest);
  double acc = 0;
  for (auto _ : state) acc = m.accuracy(test);
  state.counters["accuracy"] = acc;
}
BENCHMARK_CAPTURE(BM_TestSetAccuracy, pd_mlp_p4, "pd_mlp_p4.pb")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TestSetAccuracy, pd_mlp_p8, "pd_mlp_p8.pb")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TestSetAccuracy, mlp_dense, "mlp_dense.pb")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TestSetAccuracy, cnn_pd, "cnn_pd.pb")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nocsim::models
