// Gradient checks against central finite differences for every layer kind, and agreement of the
// per-sample path (what a PE runs) with the batched path.
#include <gtest/gtest.h>

#include <cmath>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/layer.h"
#include "models/loss.h"
#include "test_util.h"

namespace nocsim::models {
namespace {

using test_util::random_matrix;

struct Case {
  std::string kind;
  int c, h, w, out, kernel, stride, padding, p;
};

std::unique_ptr<Layer> build(const Case& k, uint64_t seed) {
  config::LayerSpec s;
  s.set_kind(k.kind);
  s.set_name(k.kind);
  s.set_in_channels(k.c);
  s.set_in_height(k.h);
  s.set_in_width(k.w);
  s.set_out_channels(k.out);
  s.set_kernel(k.kernel);
  s.set_stride(k.stride);
  s.set_padding(k.padding);
  s.set_block_size(k.p);
  // A join reads its inputs concatenated along channels: c / p channels from each of p layers.
  if (k.kind == "add")
    for (int j = 0; j < k.p; ++j) s.add_inputs("in" + std::to_string(j));
  auto layer = make_layer(s, "layer");
  layer->allocate();
  Rng rng(seed);
  layer->initialize(rng);
  for (auto& b : layer->bias()) b = static_cast<float>(0.1 * rng.normal());
  return layer;
}

// L = sum(forward(x) .* r)
double loss_of(const Layer& l, const Matrix& x, const Matrix& r) {
  Matrix y;
  l.forward(x, y);
  return static_cast<double>((y.array() * r.array()).sum());
}

void expect_close(double analytic, double numeric, const std::string& what) {
  EXPECT_NEAR(analytic, numeric, 5e-3 + 2e-2 * std::abs(numeric)) << what;
}

class GradientCheck : public ::testing::TestWithParam<Case> {};

TEST_P(GradientCheck, MatchesFiniteDifferences) {
  const Case k = GetParam();
  auto layer = build(k, 11);
  Rng rng(12);
  const int batch = 3;
  Matrix x = random_matrix(rng, batch, static_cast<int>(layer->input_shape().size()));
  if (k.kind == "max_pool") {
    // Distinct values 0.01 apart, so that no +-eps step changes which tap is the maximum.
    std::vector<int> perm(x.size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int>(i);
    for (size_t i = perm.size() - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = 0.01f * perm[i] - 1.0f;
  }
  Matrix y, dx;
  layer->forward(x, y);
  const Matrix r = random_matrix(rng, batch, static_cast<int>(y.cols()));
  layer->zero_gradients();
  layer->backward(x, y, r, &dx);
  const double eps = 1e-3;

  for (int i = 0; i < x.rows(); ++i)
    for (int j = 0; j < x.cols(); j += 1 + static_cast<int>(x.cols() / 40)) {
      if (k.kind == "relu" && std::abs(x(i, j)) < 2 * eps) continue;
      Matrix xp = x, xm = x;
      xp(i, j) += eps;
      xm(i, j) -= eps;
      const double num = (loss_of(*layer, xp, r) - loss_of(*layer, xm, r)) / (2 * eps);
      expect_close(dx(i, j), num, "dx(" + std::to_string(i) + "," + std::to_string(j) + ")");
    }

  for (auto [params, grads, name] :
       {std::tuple{layer->weights(), layer->weight_gradients(), "weight"},
        std::tuple{layer->bias(), layer->bias_gradients(), "bias"}}) {
    const std::vector<float> g(grads.begin(), grads.end());
    for (size_t v = 0; v < params.size(); v += 1 + params.size() / 40) {
      const float keep = params[v];
      if (k.p > 1 && std::string(name) == "weight" && keep == 0.0f) {
        EXPECT_EQ(g[v], 0.0f) << "padded weight " << v << " must get no gradient";
        continue;
      }
      params[v] = keep + static_cast<float>(eps);
      const double lp = loss_of(*layer, x, r);
      params[v] = keep - static_cast<float>(eps);
      const double lm = loss_of(*layer, x, r);
      params[v] = keep;
      expect_close(g[v], (lp - lm) / (2 * eps), std::string(name) + "[" + std::to_string(v) + "]");
    }
  }
}

TEST_P(GradientCheck, PerSamplePathMatchesBatchedForward) {
  const Case k = GetParam();
  auto layer = build(k, 21);
  Rng rng(22);
  const Matrix x = random_matrix(rng, 4, static_cast<int>(layer->input_shape().size()), 0.3);
  Matrix y;
  layer->forward(x, y);
  const int rows = layer->num_block_rows();
  for (int b = 0; b < 4; ++b) {
    std::vector<float> xs(x.cols()), ys(y.cols(), 0.0f);
    for (int j = 0; j < x.cols(); ++j) xs[j] = x(b, j);
    // Two halves of the block-rows, as two PE tiles would compute them.
    layer->forward_rows(xs, ys, 0, rows / 2);
    layer->forward_rows(xs, ys, rows / 2, rows);
    for (int j = 0; j < y.cols(); ++j) EXPECT_NEAR(ys[j], y(b, j), 1e-4f * (1 + std::abs(y(b, j))));
  }
}

// The linear map the fixed-point kernels use (models/quantized_model.h) is the layer's own: one
// connection per MAC of a zero-free input, and the same outputs.
TEST_P(GradientCheck, ConnectionsAreTheForwardPassAsALinearMap) {
  const Case k = GetParam();
  auto layer = build(k, 23);
  Rng rng(24);
  const Matrix x = random_matrix(rng, 1, static_cast<int>(layer->input_shape().size()));
  std::vector<float> xs(x.cols()), ys(layer->output_shape().size(), 0.0f);
  for (int j = 0; j < x.cols(); ++j) xs[j] = x(0, j);
  const uint64_t macs = layer->forward_one(xs, ys);
  std::vector<double> acc(ys.size(), 0.0);
  uint64_t connections = 0;
  const auto w = layer->weights();
  layer->for_each_connection([&](int64_t o, int64_t i, int64_t v) {
    acc[o] += static_cast<double>(w[v]) * xs[i];
    ++connections;
  });
  if (layer->num_weights() == 0) {
    EXPECT_EQ(connections, 0u);
    return;
  }
  EXPECT_EQ(connections, macs);
  const int64_t positions =
      static_cast<int64_t>(layer->output_shape().height) * layer->output_shape().width;
  for (size_t o = 0; o < ys.size(); ++o)
    EXPECT_NEAR(acc[o] + layer->bias()[o / positions], ys[o], 1e-4 * (1 + std::abs(ys[o])));
  // block_row_outputs names exactly the outputs forward_rows writes for a block-row.
  const int last = layer->num_block_rows() - 1;
  std::vector<float> only(ys.size(), std::nanf(""));
  layer->forward_rows(xs, only, last, last + 1);
  const auto [b, e] = layer->block_row_outputs(last, last + 1);
  for (int64_t o = 0; o < static_cast<int64_t>(only.size()); ++o)
    EXPECT_EQ(!std::isnan(only[o]), o >= b && o < e) << "output " << o;
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, GradientCheck,
    ::testing::Values(
        Case{"dense", 7, 1, 1, 5, 0, 0, 0, 1}, Case{"pd_dense", 12, 1, 1, 8, 0, 0, 0, 4},
        Case{"pd_dense", 10, 1, 1, 7, 0, 0, 0, 4},  // padded on both sides
        Case{"conv2d", 2, 5, 6, 3, 3, 1, 1, 1}, Case{"conv2d", 3, 7, 7, 2, 3, 2, 0, 1},
        Case{"pd_conv2d", 4, 5, 5, 8, 3, 1, 1, 2},
        Case{"pd_conv2d", 6, 4, 4, 5, 3, 1, 1, 4},  // padded channels
        Case{"max_pool", 2, 6, 6, 0, 2, 0, 0, 1}, Case{"max_pool", 2, 7, 7, 0, 3, 2, 1, 1},
        Case{"avg_pool", 2, 6, 6, 0, 2, 0, 0, 1}, Case{"relu", 3, 4, 4, 0, 0, 0, 0, 1},
        Case{"add", 6, 3, 3, 0, 0, 0, 0, 2}, Case{"add", 9, 2, 2, 0, 0, 0, 0, 3}),
    [](const auto& info) { return info.param.kind + "_" + std::to_string(info.index); });

TEST(SoftmaxCrossEntropy, GradientMatchesFiniteDifferences) {
  Rng rng(31);
  const Matrix logits = random_matrix(rng, 4, 10);
  const std::vector<uint8_t> labels = {3, 0, 9, 3};
  Matrix d;
  const double loss = softmax_cross_entropy(logits, labels, &d);
  EXPECT_GT(loss, 0.0);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 10; ++j) {
      Matrix p = logits, m = logits;
      p(i, j) += 1e-3f;
      m(i, j) -= 1e-3f;
      const double num =
          (softmax_cross_entropy(p, labels, nullptr) - softmax_cross_entropy(m, labels, nullptr)) /
          2e-3;
      EXPECT_NEAR(d(i, j), num, 1e-4);
    }
}

TEST(SoftmaxCrossEntropy, IsStableForHugeLogits) {
  Matrix logits(1, 3);
  logits << 1000.0f, 0.0f, -1000.0f;
  const std::vector<uint8_t> label = {0};
  EXPECT_NEAR(softmax_cross_entropy(logits, label, nullptr), 0.0, 1e-6);
}

TEST(LayerRegistry, UnknownKindAndBadShapesAreUserErrorsNamingTheField) {
  config::LayerSpec s;
  s.set_kind("convolution");
  s.set_in_channels(1);
  try {
    make_layer(s, "layers[3]");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "layers[3].kind");
    EXPECT_NE(std::string(e.what()).find("pd_dense"), std::string::npos);  // lists valid names
  }
  s.set_kind("pd_dense");
  s.set_out_channels(10);
  s.set_block_size(0);
  try {
    make_layer(s, "layers[1]");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "layers[1].block_size");
  }
  s.set_kind("conv2d");
  s.set_in_height(4);
  s.set_in_width(4);
  s.set_kernel(7);
  EXPECT_THROW(make_layer(s, "layers[0]"), UserError);
}

}  // namespace
}  // namespace nocsim::models
