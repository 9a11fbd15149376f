// Speed of the permuted-diagonal kernels against dense Eigen, of full test-set accuracy, and of
// importing a 10 MB ONNX file.
// Everything runs on one core: Eigen is pinned to one thread so that the dense GEMM baseline and
// the accuracy figures are single-core numbers (the README's targets are stated per core).
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <Eigen/Core>
#include <filesystem>
#include <fstream>

#include "configs/rng.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "models/onnx/onnx_import.h"
#include "models/permuted_diagonal_matrix.h"
#include "onnx/onnx.pb.h"

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
// The VGG-style CNNs (6 conv, 3 pools, 2 FC; 4.2 MMACs / image): target < 5 s on one core.
BENCHMARK_CAPTURE(BM_TestSetAccuracy, vgg_dense, "vgg_dense.pb")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TestSetAccuracy, vgg_pd4, "vgg_pd4.pb")->Unit(benchmark::kMillisecond);

// A 10 MB ONNX file as PyTorch writes one (raw float initializers): Flatten, Gemm 784 -> 3400
// (transB), Relu, Gemm 3400 -> 10, with random weights. Built here so that no 10 MB file is kept.
std::string ten_megabyte_onnx() {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  onnx::GraphProto& g = *model.mutable_graph();
  onnx::ValueInfoProto& in = *g.add_input();
  in.set_name("input");
  onnx::TypeProto::Tensor& t = *in.mutable_type()->mutable_tensor_type();
  t.set_elem_type(onnx::TensorProto::FLOAT);
  t.mutable_shape()->add_dim()->set_dim_param("batch");
  for (int d : {1, 28, 28}) t.mutable_shape()->add_dim()->set_dim_value(d);
  g.add_output()->set_name("logits");
  Rng rng(4);
  auto initializer = [&](const std::string& name, std::vector<int64_t> dims) {
    onnx::TensorProto& w = *g.add_initializer();
    w.set_name(name);
    w.set_data_type(onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : dims) w.add_dims(d), n *= d;
    std::vector<float> v(static_cast<size_t>(n));
    for (auto& x : v) x = static_cast<float>(rng.normal() * 0.05);
    w.set_raw_data(v.data(), v.size() * sizeof(float));
  };
  initializer("w1", {3400, 784});
  initializer("b1", {3400});
  initializer("w2", {10, 3400});
  initializer("b2", {10});
  auto node = [&](const char* op, std::vector<std::string> inputs, const std::string& output) {
    onnx::NodeProto& n = *g.add_node();
    n.set_op_type(op);
    n.set_name(std::string("/") + output + "/" + op);
    for (const auto& i : inputs) n.add_input(i);
    n.add_output(output);
    return &n;
  };
  auto trans_b = [](onnx::NodeProto* n) {
    onnx::AttributeProto& a = *n->add_attribute();
    a.set_name("transB");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(1);
  };
  node("Flatten", {"input"}, "flat");
  trans_b(node("Gemm", {"flat", "w1", "b1"}, "fc1"));
  node("Relu", {"fc1"}, "relu");
  trans_b(node("Gemm", {"relu", "w2", "b2"}, "logits"));
  return model.SerializeAsString();
}

// `nocsim import`'s work on that file: read, parse, convert (PD recognition included) and
// serialize the model file. Target < 1 s.
void BM_ImportOnnx10MB(benchmark::State& state) {
  const std::string bytes = ten_megabyte_onnx();
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("nocsim_bench_" + std::to_string(::getpid()) + ".onnx"))
                               .string();
  std::ofstream(path, std::ios::binary) << bytes;
  size_t written = 0;
  for (auto _ : state) {
    const config::ModelFile spec = import_onnx_file(path);
    written = serialize_model_file(spec).size();
    benchmark::DoNotOptimize(written);
  }
  std::filesystem::remove(path);
  state.counters["onnx_MB"] = static_cast<double>(bytes.size()) / 1e6;
  state.counters["pb_MB"] = static_cast<double>(written) / 1e6;
}
BENCHMARK(BM_ImportOnnx10MB)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nocsim::models
