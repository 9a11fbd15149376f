// ONNX import against an independent implementation: the networks in tests/data/onnx/ were built
// and run by PyTorch (tests/data/make_onnx.py); nocsim must give the same outputs on the same
// Fashion-MNIST test images, fold BatchNormalization, recognise permuted-diagonal layers, and
// refuse what it does not support with errors naming the file, node and op.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

#include "configs/user_error.h"
#include "models/model_file.h"
#include "models/onnx/onnx_import.h"
#include "models/onnx/pd_structure.h"
#include "tests/file_text.h"
#include "tests/models/test_util.h"

namespace nocsim::models {
namespace {

std::string onnx_path(const std::string& name) {
  return std::string(NOCSIM_SOURCE_DIR) + "/tests/data/onnx/" + name + ".onnx";
}

using nocsim::testing::slurp;

// Rows of "image <index> <outputs...>".
std::vector<std::pair<int, std::vector<double>>> expected_outputs(const std::string& name) {
  std::ifstream in(std::string(NOCSIM_SOURCE_DIR) + "/tests/data/onnx/" + name + ".expected");
  EXPECT_TRUE(in) << name;
  std::vector<std::pair<int, std::vector<double>>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string tag;
    int index = -1;
    ls >> tag >> index;
    std::vector<double> v;
    for (double x; ls >> x;) v.push_back(x);
    rows.emplace_back(index, std::move(v));
  }
  return rows;
}

std::vector<double> softmax(const std::vector<float>& logits) {
  double top = logits[0], sum = 0;
  for (float v : logits) top = std::max(top, static_cast<double>(v));
  std::vector<double> p;
  for (float v : logits) sum += std::exp(v - top);
  for (float v : logits) p.push_back(std::exp(v - top) / sum);
  return p;
}

struct Net {
  const char* name;
  bool softmax_output;  // PyTorch's outputs are probabilities; nocsim's are the logits
};

class OnnxAgainstPyTorch : public ::testing::TestWithParam<Net> {};

// Every supported op is in at least one of these networks (see make_onnx.py).
TEST_P(OnnxAgainstPyTorch, OutputsMatchWithinOneInHundredThousand) {
  const Net net = GetParam();
  const Model m = load_model(onnx_path(net.name));
  const Dataset& test = test_util::fashion_test();
  const auto rows = expected_outputs(net.name);
  ASSERT_FALSE(rows.empty());
  Matrix x, logits;
  test.slice(0, static_cast<int>(rows.size()), x);
  m.forward(x, logits);
  for (size_t s = 0; s < rows.size(); ++s) {
    const auto& [index, want] = rows[s];
    ASSERT_EQ(index, static_cast<int>(s));
    std::vector<float> batched(logits.cols());
    for (int j = 0; j < logits.cols(); ++j) batched[j] = logits(static_cast<int>(s), j);
    std::vector<float> pixels(x.cols());
    for (int j = 0; j < x.cols(); ++j) pixels[j] = x(static_cast<int>(s), j);
    const std::vector<float> one = m.forward_one(pixels);
    ASSERT_EQ(want.size(), batched.size());
    for (const auto& got_f : {batched, one}) {
      std::vector<double> got(got_f.begin(), got_f.end());
      if (net.softmax_output) got = softmax(got_f);
      // Relative to the largest output of the sample: an output that cancels to near zero
      // (0.001 next to 5) differs in float32 in its own 5th digit with any summation order.
      double scale = 0;
      for (double v : want) scale = std::max(scale, std::abs(v));
      for (size_t j = 0; j < want.size(); ++j)
        EXPECT_NEAR(got[j], want[j], 1e-5 * scale)
            << net.name << " image " << index << " output " << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Networks, OnnxAgainstPyTorch,
                         ::testing::Values(Net{"mlp_gemm", false}, Net{"matmul_add", false},
                                           Net{"conv_pools", true}, Net{"padded_pools", false},
                                           Net{"batch_norms", false},
                                           Net{"permuted_diagonal", false}, Net{"residual", false},
                                           Net{"basic_blocks", false}),
                         [](const auto& info) { return std::string(info.param.name); });

std::vector<std::string> kinds(const config::ModelFile& f) {
  std::vector<std::string> k;
  for (const auto& l : f.layers()) k.push_back(l.kind());
  return k;
}

TEST(OnnxImport, LayerChainsAndShapes) {
  const config::ModelFile f = import_onnx_file(onnx_path("conv_pools"));
  EXPECT_EQ(kinds(f), (std::vector<std::string>{"conv2d", "relu", "max_pool", "conv2d", "relu",
                                                "avg_pool", "avg_pool", "dense"}));
  EXPECT_EQ(f.input_channels(), 1);
  EXPECT_EQ(f.input_height(), 28);
  EXPECT_EQ(f.num_classes(), 10);
  EXPECT_EQ(f.layers(0).name(), "conv1");  // PyTorch's module path
  EXPECT_EQ(f.layers(3).stride(), 2);
  EXPECT_EQ(f.layers(3).padding(), 1);
  EXPECT_EQ(f.layers(6).kernel(), 3);  // GlobalAveragePool over the 3x3 left
  EXPECT_EQ(f.end_marker(), kModelFileEndMarker);
}

TEST(OnnxImport, BatchNormalizationFoldsIntoTheLayerBefore) {
  const config::ModelFile f = import_onnx_file(onnx_path("batch_norms"));
  EXPECT_EQ(kinds(f), (std::vector<std::string>{"conv2d", "relu", "dense", "relu", "dense"}));
}

TEST(OnnxImport, RecognisesPermutedDiagonalLayers) {
  const config::ModelFile f = import_onnx_file(onnx_path("permuted_diagonal"));
  EXPECT_EQ(kinds(f), (std::vector<std::string>{"conv2d", "relu", "pd_conv2d", "relu", "pd_dense",
                                                "relu", "pd_dense"}));
  EXPECT_EQ(f.layers(2).block_size(), 2);
  EXPECT_EQ(f.layers(4).block_size(), 4);
  EXPECT_EQ(f.layers(6).block_size(), 4);
  // 10 x 30 at p = 4: 3 x 8 blocks (padded), one offset each.
  EXPECT_EQ(f.layers(6).offsets_size(), 3 * 8);
  // Dense layers stay dense.
  const config::ModelFile dense = import_onnx_file(onnx_path("mlp_gemm"));
  for (const auto& l : dense.layers()) EXPECT_EQ(l.block_size(), 0) << l.name();
}

TEST(OnnxImport, PdBlockProjectsDenseLayersOntoTheLargestEnergyDiagonal) {
  const config::ModelFile dense = import_onnx_file(onnx_path("mlp_gemm"));
  OnnxImportOptions options;
  options.pd_block = 4;
  const config::ModelFile pd = import_onnx_file(onnx_path("mlp_gemm"), options);
  ASSERT_EQ(kinds(pd), (std::vector<std::string>{"pd_dense", "relu", "pd_dense"}));
  Model::from_spec(pd, 0, "pd");  // loads
  for (int li : {0, 2}) {
    const auto& d = dense.layers(li);
    const auto& l = pd.layers(li);
    const int m = d.out_channels(), n = d.weights_size() / m, p = 4;
    const int nb = (n + p - 1) / p;
    auto w = [&](int r, int c) { return r < m && c < n ? d.weights(r * n + c) : 0.0f; };
    for (int bi = 0; bi < (m + p - 1) / p; ++bi)
      for (int bj = 0; bj < nb; ++bj) {
        const int k = static_cast<int>(l.offsets(bi * nb + bj));
        double kept = 0;
        for (int r = 0; r < p; ++r) {
          const float v = w(bi * p + r, bj * p + (r + k) % p);
          EXPECT_EQ(l.weights((bi * nb + bj) * p + r), v);
          kept += static_cast<double>(v) * v;
        }
        for (int other = 0; other < p; ++other) {
          double e = 0;
          for (int r = 0; r < p; ++r) e += std::pow(w(bi * p + r, bj * p + (r + other) % p), 2);
          EXPECT_LE(e, kept) << "layer " << li << " block " << bi << "," << bj;
        }
      }
  }
}

TEST(PdStructure, FindsTheLargestBlockAndRejectsDense) {
  // 4 x 4 with p = 4, offset 1: PD at 4 (and trivially consistent at no larger p).
  std::vector<float> w(16, 0.0f);
  for (int r = 0; r < 4; ++r) w[r * 4 + (r + 1) % 4] = 1.0f + r;
  EXPECT_EQ(onnx_import::find_pd_block({w, 1, 4, 4}), 4);
  const auto pd = onnx_import::project_to_pd({w, 1, 4, 4}, 4);
  EXPECT_EQ(pd.offsets, std::vector<uint32_t>{1});
  EXPECT_EQ(pd.values, (std::vector<float>{1, 2, 3, 4}));
  std::vector<float> full(16, 0.5f);
  EXPECT_EQ(onnx_import::find_pd_block({full, 1, 4, 4}), 0);
  EXPECT_EQ(onnx_import::find_pd_block({std::vector<float>(16, 0.0f), 1, 4, 4}), 0);
}

void expect_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const UserError& e) {
    const std::string what = e.what();
    for (const auto& p : parts) EXPECT_NE(what.find(p), std::string::npos) << what;
  }
}

// An Add of two computed tensors is an add layer naming both producers; a layer that reads
// something other than the previous layer names it; BatchNorms fold into the convs in both paths.
TEST(OnnxImport, ResidualAddsBecomeAddLayersWithTwoInputs) {
  const config::ModelFile f = import_onnx_file(onnx_path("basic_blocks"));
  EXPECT_EQ(kinds(f), (std::vector<std::string>{"conv2d", "relu", "conv2d", "relu", "conv2d",
                                                "conv2d", "add", "relu", "conv2d", "relu", "conv2d",
                                                "add", "relu", "avg_pool", "dense"}));
  auto names = [](const config::LayerSpec& l) {
    return std::vector<std::string>(l.inputs().begin(), l.inputs().end());
  };
  EXPECT_EQ(f.layers(2).inputs_size(), 0);  // conv1 reads the stem's ReLU, the layer before
  EXPECT_EQ(names(f.layers(5)), (std::vector<std::string>{f.layers(1).name()}));  // the 1x1 down
  EXPECT_EQ(names(f.layers(6)), (std::vector<std::string>{"conv2", "down"}));
  EXPECT_EQ(names(f.layers(11)), (std::vector<std::string>{"conv4", f.layers(7).name()}));
  EXPECT_EQ(f.layers(6).in_channels(), 16);  // two 8x14x14 operands
  const Model m = Model::from_spec(f, 0, "basic_blocks.onnx");
  EXPECT_EQ(m.inputs(11), (std::vector<int>{10, 7}));
}

TEST(OnnxImport, RefusesUnsupportedOpsAndOtherInputShapes) {
  expect_error([] { import_onnx_file(onnx_path("sigmoid")); },
               {"sigmoid.onnx", "'/Sigmoid'", "unsupported op type 'Sigmoid'", "supported: Gemm"});
  expect_error([] { import_onnx_file(onnx_path("wrong_input")); },
               {"wrong_input.onnx", "graph.input 'image'", "1x20x20", "Fashion-MNIST"});
}

TEST(OnnxImport, MalformedFilesAreClearErrors) {
  const std::string bytes = slurp(onnx_path("conv_pools"));
  ASSERT_GT(bytes.size(), 100u);
  // Every cut either fails to parse or leaves a graph that is checked node by node.
  for (size_t cut = 0; cut < bytes.size(); cut += 7)
    expect_error([&] { import_onnx_bytes(bytes.substr(0, cut), "cut.onnx"); }, {"cut.onnx"});
  expect_error([] { import_onnx_bytes("this is not protobuf \xff\xff\xff", "junk.onnx"); },
               {"junk.onnx", "not an ONNX model"});
  expect_error([] { import_onnx_file("/nonexistent/x.onnx"); },
               {"/nonexistent/x.onnx", "cannot open"});
  OnnxImportOptions bad;
  bad.pd_block = 1;
  expect_error([&] { import_onnx_file(onnx_path("mlp_gemm"), bad); }, {"--pd-block"});
}

TEST(OnnxImport, ModelConfigLoadsOnnxFilesDirectly) {
  config::ModelConfig mc;
  mc.set_file(onnx_path("mlp_gemm"));
  const config::ModelFile spec = load_model_spec(mc);
  EXPECT_EQ(spec.layers_size(), 3);
  EXPECT_EQ(describe_layers(spec)[0].num_weights, 784 * 24);
}

}  // namespace
}  // namespace nocsim::models
