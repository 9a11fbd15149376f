// Models as graphs of layers (models/layer_graph.h): a residual block against the same block
// computed layer by layer by hand, back-propagation through an add against finite differences,
// the file round trip, bad graphs named by file and field, and the ResNet architectures.
#include "models/layer_graph.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/architecture.h"
#include "models/model_file.h"
#include "models/quantized_model.h"
#include "models/trainer.h"
#include "test_util.h"
#include "tests/temp_dir.h"

namespace nocsim::models {
namespace {

using test_util::random_matrix;

config::LayerSpec& layer(config::ModelFile& f, const std::string& kind, const std::string& name,
                         std::vector<std::string> inputs = {}) {
  config::LayerSpec& l = *f.add_layers();
  l.set_kind(kind);
  l.set_name(name);
  for (const auto& in : inputs) l.add_inputs(in);
  return l;
}

// 1x6x6 -> conv 3x3 (4) -> relu "r1" -> conv 3x3 (4) "c2" -> add(c2, r1) -> relu -> dense 5.
config::ModelFile residual_block() {
  config::ModelFile f;
  f.set_format_version(1);
  f.set_name("block");
  f.set_input_channels(1);
  f.set_input_height(6);
  f.set_input_width(6);
  f.set_num_classes(5);
  for (auto [kind, name] : {std::pair{"conv2d", "c1"}, {"relu", "r1"}, {"conv2d", "c2"}}) {
    config::LayerSpec& l = layer(f, kind, name);
    if (std::string(kind) == "conv2d") {
      l.set_out_channels(4);
      l.set_kernel(3);
      l.set_stride(1);
      l.set_padding(1);
    }
  }
  layer(f, "add", "sum", {"c2", "r1"});
  layer(f, "relu", "r2");
  layer(f, "dense", "fc").set_out_channels(5);
  return f;
}

// The same block, each layer run on its own and the sum written out here.
Matrix by_hand(const Model& m, const Matrix& x) {
  Matrix c1, r1, c2, r2, logits;
  m.layer(0).forward(x, c1);
  r1 = c1.cwiseMax(0.0f);
  m.layer(2).forward(r1, c2);
  r2 = (c2 + r1).cwiseMax(0.0f);
  m.layer(5).forward(r2, logits);
  return logits;
}

TEST(LayerGraph, ResidualBlockIsTheSumOfItsTwoPaths) {
  const Model m = Model::from_spec(residual_block(), 3);
  EXPECT_EQ(m.inputs(3), (std::vector<int>{2, 1}));
  EXPECT_EQ(m.inputs(4), (std::vector<int>{3}));
  EXPECT_FALSE(m.graph().chain);
  EXPECT_EQ(m.layer(3).input_shape(), (TensorShape{8, 6, 6}));  // two 4x6x6 operands
  EXPECT_EQ(m.layer(3).output_shape(), (TensorShape{4, 6, 6}));
  Rng rng(4);
  const Matrix x = random_matrix(rng, 5, 36, 0.2);
  Matrix logits;
  m.forward(x, logits);
  const Matrix expect = by_hand(m, x);
  ASSERT_EQ(logits.rows(), 5);
  EXPECT_TRUE(logits.isApprox(expect, 1e-6f)) << logits << "\n" << expect;
  // The per-sample path (what a PE runs) gives the batched values.
  for (int b = 0; b < 5; ++b) {
    std::vector<float> xs(36);
    for (int j = 0; j < 36; ++j) xs[j] = x(b, j);
    const std::vector<float> one = m.forward_one(xs);
    for (int j = 0; j < 5; ++j) EXPECT_NEAR(one[j], logits(b, j), 1e-5f * (1 + std::abs(one[j])));
  }
}

// Model::backward of L = sum(logits .* r) for a batch x, against central differences of every
// `stride`-th weight and bias of every weight layer; float sums, so the tolerance is loose.
void expect_gradients_match_finite_differences(Model& m, const Matrix& x, const Matrix& r,
                                               size_t stride, double tolerance) {
  std::vector<Matrix> acts;
  m.forward_all(x, acts);
  m.backward(acts, r);
  auto loss = [&] {
    Matrix logits;
    m.forward(x, logits);
    return (logits.cast<double>().array() * r.cast<double>().array()).sum();
  };
  for (int li = 0; li < m.num_layers(); ++li) {
    Layer& l = m.layer(li);
    for (auto [params, grads, what] : {std::tuple{l.weights(), l.weight_gradients(), "weights"},
                                       std::tuple{l.bias(), l.bias_gradients(), "bias"}}) {
      const std::vector<float> g(grads.begin(), grads.end());
      for (size_t v = 0; v < params.size(); v += stride) {
        const float keep = params[v];
        const float eps = 1e-3f;
        params[v] = keep + eps;
        const double lp = loss();
        params[v] = keep - eps;
        const double lm = loss();
        params[v] = keep;
        const double numeric = (lp - lm) / (2 * eps);
        EXPECT_NEAR(g[v], numeric, tolerance + 2e-2 * std::abs(numeric))
            << l.name() << "." << what << "[" << v << "]";
      }
    }
  }
}

// c1's output reaches the loss by two paths (through c2, and straight into the add): its
// gradient is their sum.
TEST(LayerGraph, GradientThroughAnAddIsTheSumOfBothPaths) {
  Model m = Model::from_spec(residual_block(), 8);
  Rng rng(9);
  const Matrix x = random_matrix(rng, 3, 36);
  expect_gradients_match_finite_differences(m, x, random_matrix(rng, 3, 5), 3, 5e-3);
}

// The same on a whole ResNet-8 (fan-out into a projection shortcut, identity adds).
TEST(LayerGraph, ResNetGradientMatchesFiniteDifferences) {
  ArchitectureOptions o;
  o.conv_channels = {2};
  Model m = Model::from_spec(build_architecture("resnet8", o), 2);
  Rng rng(3);
  const Matrix x = random_matrix(rng, 2, 784);
  expect_gradients_match_finite_differences(m, x, random_matrix(rng, 2, 10), 37, 1e-2);
}

TEST(LayerGraph, ChainModelsReadThePreviousLayerWithoutNamingIt) {
  ArchitectureOptions o;
  o.hidden = {20};
  const config::ModelFile f = build_architecture("mlp", o);
  for (const auto& l : f.layers()) EXPECT_EQ(l.inputs_size(), 0);
  const Model m = Model::from_spec(f, 1);
  EXPECT_TRUE(m.graph().chain);
  EXPECT_EQ(m.to_spec(false).layers(1).inputs_size(), 0);  // files stay as they were
}

std::string graph_temp_path(const std::string& name) {
  static const std::filesystem::path dir = nocsim::testing::fresh_temp_dir("layer_graph");
  return (dir / name).string();
}

TEST(LayerGraph, FileRoundTripKeepsTheGraphAndTheOutputs) {
  const Model m = Model::from_spec(residual_block(), 3);
  const std::string path = graph_temp_path("block.pb");
  std::ofstream(path, std::ios::binary) << serialize_model(m);
  const Model back = load_model(path);
  for (int i = 0; i < m.num_layers(); ++i) EXPECT_EQ(back.inputs(i), m.inputs(i)) << i;
  Rng rng(5);
  const Matrix x = random_matrix(rng, 4, 36);
  Matrix a, b;
  m.forward(x, a);
  back.forward(x, b);
  EXPECT_EQ(a, b);
  const auto info = describe_layers(read_model_file(path));
  EXPECT_EQ(info[3].kind, "add");
  EXPECT_EQ(info[3].inputs, (std::vector<int>{2, 1}));
  EXPECT_EQ(info[3].input, (TensorShape{8, 6, 6}));
}

// Each bad graph is refused when the file is read, naming the file, the layer and the field.
TEST(LayerGraph, BadGraphsAreUserErrorsNamingFileAndField) {
  const Model m = Model::from_spec(residual_block(), 3);
  const std::string path = graph_temp_path("bad.pb");
  struct Bad {
    std::function<void(config::ModelFile&)> edit;
    std::string field, reason;
  };
  const std::vector<Bad> cases = {
      {[](auto& f) { f.mutable_layers(3)->set_inputs(1, "nope"); }, "layers[3].inputs[1]",
       "no layer has that name"},
      {[](auto& f) { f.mutable_layers(3)->set_inputs(1, "r2"); }, "layers[3].inputs[1]",
       "not listed before it"},
      {[](auto& f) { f.mutable_layers(3)->set_inputs(0, "sum"); }, "layers[3].inputs[0]",
       "not listed before it"},  // itself: a cycle
      {[](auto& f) { f.mutable_layers(1)->set_name("c1"); }, "layers[3].inputs[1]",
       "no layer has that name"},
      {[](auto& f) { f.mutable_layers(2)->set_name("c1"); }, "layers[3].inputs[0]",
       "no layer has that name"},
      {[](auto& f) { f.mutable_layers(0)->set_name("r1"); }, "layers[3].inputs[1]",
       "two earlier layers have that name"},
      {[](auto& f) { f.mutable_layers(3)->set_inputs(1, "input"); }, "layers[3].inputs",
       "different shapes: 4x6x6 and 1x6x6"},
      {[](auto& f) {
         f.mutable_layers(4)->add_inputs("sum");
         f.mutable_layers(4)->add_inputs("r1");
       },
       "layers[4].inputs", "reads one input, the file names 2"},
      {[](auto& f) { f.mutable_layers(3)->mutable_inputs()->RemoveLast(); }, "layers[3].inputs",
       "two or more input layers"},
      {[](auto& f) { f.mutable_layers(5)->add_inputs("r1"); }, "layers[4].name",
       "read by no layer"},
      {[](auto& f) {
         f.mutable_layers(0)->set_name("input");
         f.mutable_layers(1)->add_inputs("input");
       },
       "layers[0].name", "rename the layer"},
  };
  for (const Bad& b : cases) {
    config::ModelFile f = m.to_spec(true);
    b.edit(f);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << serialize_model_file(f);
    try {
      load_model(path);
      ADD_FAILURE() << "no error; expected " << b.field;
    } catch (const UserError& e) {
      EXPECT_EQ(e.field(), path + ": " + b.field) << e.what();
      EXPECT_NE(std::string(e.what()).find(b.reason), std::string::npos) << e.what();
    }
  }
}

TEST(LayerGraph, IntegerDatapathRoundsEachAddOperandAtItsOwnScale) {
  const Model m = Model::from_spec(residual_block(), 3);
  const Datapath int8{precision_by_name("int8", "w"), precision_by_name("int8", "a")};
  const QuantizedModel q(m, int8);
  Rng rng(6);
  const Matrix x = random_matrix(rng, 1, 36);
  std::vector<float> xs(x.data(), x.data() + 36);
  const std::vector<float> f = m.forward_one(xs), i8 = q.forward_one(xs);
  double err = 0, norm = 0;
  for (int j = 0; j < 5; ++j) err += std::abs(f[j] - i8[j]), norm += std::abs(f[j]);
  EXPECT_LT(err, 0.05 * norm);  // int8 everywhere: close to float, not equal
  EXPECT_GT(err, 0.0);
  // The add alone: operands 1.0 and 0.004 at int8 with scales 1/127 and 0.004/127 keep both.
  const Layer& add = m.layer(3);
  std::vector<float> in(add.input_shape().size(), 0.0f), out(add.output_shape().size());
  in[0] = 1.0f;
  in[out.size()] = 0.004f;
  forward_weightless(add, int8, in, out);
  EXPECT_FLOAT_EQ(out[0], 1.004f);
  in[1] = 0.5f / 127 * 0.999f;  // below half a step of the first operand's scale: rounds to 0
  forward_weightless(add, int8, in, out);
  EXPECT_EQ(out[1], 0.0f);
}

class ResNets : public ::testing::TestWithParam<std::string> {};

TEST_P(ResNets, AreGraphsWithIdentityAndProjectionShortcuts) {
  ArchitectureOptions o;
  o.conv_channels = {4};
  o.conv_block_size = 2;
  const Model m = Model::from_spec(build_architecture(GetParam(), o), 1);
  int adds = 0, shortcuts = 0, weight_layers = 0;
  for (int i = 0; i < m.num_layers(); ++i) {
    adds += m.layer(i).kind() == "add";
    shortcuts += m.layer(i).name().find("shortcut") != std::string::npos;
    weight_layers += m.layer(i).num_weights() > 0;
  }
  const int blocks = GetParam() == "resnet8" ? 3 : 6;
  EXPECT_EQ(adds, blocks);
  EXPECT_EQ(shortcuts, 2);                               // into stages 2 and 3
  EXPECT_EQ(weight_layers - shortcuts, 2 * blocks + 2);  // ResNet-(6n + 2)
  EXPECT_EQ(m.layer(2).kind(), "pd_conv2d");
  EXPECT_EQ(m.layer(0).kind(), "conv2d");  // the stem: one input channel
  EXPECT_EQ(m.layer(m.num_layers() - 1).input_shape(), (TensorShape{16, 1, 1}));
}

INSTANTIATE_TEST_SUITE_P(Zoo, ResNets, ::testing::Values("resnet8", "resnet14"));

TEST(ResNet8, TrainingLowersTheLossDeterministically) {
  ArchitectureOptions o;
  o.conv_channels = {4};
  const config::ModelFile spec = build_architecture("resnet8", o);
  Dataset sub = test_util::fashion_train().head(1024);
  TrainOptions t;
  t.epochs = 2;
  t.batch_size = 32;
  t.learning_rate = 0.003;
  t.seed = 3;
  Model a = Model::from_spec(spec, 1), b = Model::from_spec(spec, 1);
  const TrainResult ra = train(a, sub, nullptr, t);
  train(b, sub, nullptr, t);
  double first = 0, last = 0;
  for (int s = 0; s < 8; ++s) {
    first += ra.step_losses[s];
    last += ra.step_losses[ra.step_losses.size() - 1 - s];
  }
  EXPECT_LT(last, 0.9 * first);
  for (int i = 0; i < a.num_layers(); ++i)
    EXPECT_TRUE(std::equal(a.layer(i).weights().begin(), a.layer(i).weights().end(),
                           b.layer(i).weights().begin()))
        << a.layer(i).name();
}

}  // namespace
}  // namespace nocsim::models
