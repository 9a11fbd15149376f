// Fully-connected layer with a dense weight matrix, y = W x + b. Weights are row-major
// out x in (weights[o * in + i]); a block-row is one output row.
#include <Eigen/Core>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/layer.h"
#include "models/weight_mask.h"

namespace nocsim::models {
namespace {

class DenseLayer : public Layer {
 public:
  explicit DenseLayer(const config::LayerSpec& spec) : Layer(spec) {
    require(spec.out_channels() >= 1, "out_channels", "a fully-connected layer needs outputs >= 1");
    out_ = {spec.out_channels(), 1, 1};
    n_in_ = static_cast<int>(in_.size());
  }
  int64_t num_weights() const override { return static_cast<int64_t>(out_.channels) * n_in_; }
  int64_t num_bias() const override { return out_.channels; }
  int64_t macs() const override { return num_weights(); }
  int num_block_rows() const override { return out_.channels; }
  void allocate() override {
    w_.assign(num_weights(), 0.0f);
    b_.assign(num_bias(), 0.0f);
    gw_.assign(num_weights(), 0.0f);
    gb_.assign(num_bias(), 0.0f);
  }
  bool supports_density() const override { return true; }
  void initialize(Rng& rng) override {
    // He initialisation for the ReLU that follows, over the inputs a pruned row keeps.
    const double scale = std::sqrt(2.0 / (n_in_ * density()));
    for (auto& v : w_) v = static_cast<float>(rng.normal() * scale);
    if (density() < 1.0) apply_random_mask(w_, density(), rng);
    std::fill(b_.begin(), b_.end(), 0.0f);
  }
  std::span<float> weights() override { return w_; }
  std::span<float> bias() override { return b_; }
  std::span<float> weight_gradients() override { return gw_; }
  std::span<float> bias_gradients() override { return gb_; }

  void forward(const Matrix& x, Matrix& y) const override {
    Eigen::Map<const RowMatrix> w(w_.data(), out_.channels, n_in_);
    Eigen::Map<const Eigen::RowVectorXf> b(b_.data(), out_.channels);
    y.noalias() = x * w.transpose();
    y.rowwise() += b;
  }
  void backward(const Matrix& x, const Matrix& /*y*/, const Matrix& dy, Matrix* dx) override {
    Eigen::Map<const RowMatrix> w(w_.data(), out_.channels, n_in_);
    Eigen::Map<RowMatrix> gw(gw_.data(), out_.channels, n_in_);
    Eigen::Map<Eigen::RowVectorXf> gb(gb_.data(), out_.channels);
    gw.noalias() += dy.transpose() * x;
    gb += dy.colwise().sum();
    if (dx != nullptr) dx->noalias() = dy * w;
  }
  void for_each_connection(const ConnectionFn& f) const override {
    for (int o = 0; o < out_.channels; ++o)
      for (int i = 0; i < n_in_; ++i) f(o, i, static_cast<int64_t>(o) * n_in_ + i);
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int begin,
                        int end) const override {
    uint64_t macs = 0;
    for (int o = begin; o < end; ++o) {
      const float* w = w_.data() + static_cast<size_t>(o) * n_in_;
      float acc = 0.0f;
      for (int i = 0; i < n_in_; ++i) {
        if (x[i] == 0.0f) continue;
        acc += w[i] * x[i];
        ++macs;
      }
      y[o] = acc + b_[o];
    }
    return macs;
  }

 private:
  int n_in_ = 0;
  std::vector<float> w_, b_, gw_, gb_;
};

NOCSIM_REGISTER(layer_registry(), DenseLayer, "dense", "fully-connected, dense weights");

}  // namespace
}  // namespace nocsim::models
