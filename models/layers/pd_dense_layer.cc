// Fully-connected layer whose weight matrix is permuted-diagonal with block size p (PermDNN): only
// the m*n/p diagonal values are parameters. Weights/offsets are PermutedDiagonalMatrix's order, so
// a block-row (p outputs) is a contiguous range of the weight vector.
#include <cmath>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/layer.h"
#include "models/permuted_diagonal_matrix.h"

namespace nocsim::models {
namespace {

class PdDenseLayer : public Layer {
 public:
  explicit PdDenseLayer(const config::LayerSpec& spec) : Layer(spec) {
    require(spec.out_channels() >= 1, "out_channels", "a fully-connected layer needs outputs >= 1");
    require(spec.block_size() >= 1 && spec.block_size() <= 1024, "block_size",
            "p must be in [1, 1024], got " + std::to_string(spec.block_size()));
    out_ = {spec.out_channels(), 1, 1};
    n_in_ = static_cast<int>(in_.size());
    p_ = spec.block_size();
  }
  int block_size() const override { return p_; }
  std::span<const uint32_t> offsets() const override { return a_.offsets(); }
  int64_t num_weights() const override {
    const int64_t mb = (out_.channels + p_ - 1) / p_, nb = (n_in_ + p_ - 1) / p_;
    return mb * nb * p_;
  }
  int64_t num_bias() const override { return out_.channels; }
  int64_t macs() const override {
    return (static_cast<int64_t>(out_.channels) * n_in_ + p_ - 1) / p_;
  }
  int num_block_rows() const override { return (out_.channels + p_ - 1) / p_; }
  void allocate() override {
    a_ = PermutedDiagonalMatrix(out_.channels, n_in_, p_);
    b_.assign(num_bias(), 0.0f);
    gw_.assign(num_weights(), 0.0f);
    gb_.assign(num_bias(), 0.0f);
  }
  void initialize(Rng& rng) override {
    a_.randomize_offsets(rng);
    // He initialisation with the real fan-in: each output sees n/p inputs.
    const double scale = std::sqrt(2.0 * p_ / n_in_);
    for (auto& v : a_.values()) v = static_cast<float>(rng.normal() * scale);
    a_.set_values(std::vector<float>(a_.values().begin(), a_.values().end()));
    std::fill(b_.begin(), b_.end(), 0.0f);
  }
  void load(const config::LayerSpec& spec) override {
    require(spec.offsets_size() == a_.block_rows() * a_.block_cols(), "offsets",
            "has " + std::to_string(spec.offsets_size()) + " offsets, needs one per block (" +
                std::to_string(a_.block_rows() * a_.block_cols()) + ")");
    for (uint32_t k : spec.offsets())
      require(k < static_cast<uint32_t>(p_), "offsets",
              "offset " + std::to_string(k) + " is not below p=" + std::to_string(p_));
    a_.set_offsets(std::vector<uint32_t>(spec.offsets().begin(), spec.offsets().end()));
    config::LayerSpec rest = spec;
    rest.clear_offsets();
    Layer::load(rest);
  }
  std::span<float> weights() override { return a_.values(); }
  std::span<float> bias() override { return b_; }
  std::span<float> weight_gradients() override { return gw_; }
  std::span<float> bias_gradients() override { return gb_; }

  void forward(const Matrix& x, Matrix& y) const override {
    a_.multiply_batch(x, y);
    Eigen::Map<const Eigen::RowVectorXf> b(b_.data(), out_.channels);
    y.rowwise() += b;
  }
  void backward(const Matrix& x, const Matrix& /*y*/, const Matrix& dy, Matrix* dx) override {
    a_.accumulate_gradient(x, dy, gw_);
    Eigen::Map<Eigen::RowVectorXf> gb(gb_.data(), out_.channels);
    gb += dy.colwise().sum();
    if (dx != nullptr) a_.multiply_transposed_batch(dy, *dx);
  }
  void for_each_connection(const ConnectionFn& f) const override {
    const int nb = a_.block_cols();
    const auto k = a_.offsets();
    for (int o = 0; o < out_.channels; ++o) {
      const int bi = o / p_, r = o % p_;
      for (int bj = 0; bj < nb; ++bj) {
        const int64_t blk = static_cast<int64_t>(bi) * nb + bj;
        const int i = bj * p_ + static_cast<int>((r + k[blk]) % p_);
        if (i < n_in_) f(o, i, blk * p_ + r);
      }
    }
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int begin,
                        int end) const override {
    const uint64_t macs = a_.multiply_block_rows(x, y, begin, end);
    const int row_end = std::min(end * p_, out_.channels);
    for (int o = begin * p_; o < row_end; ++o) y[o] += b_[o];
    return macs;
  }

 protected:
  void weights_changed() override {
    a_.set_values(std::vector<float>(a_.values().begin(), a_.values().end()));
  }

 private:
  int n_in_ = 0, p_ = 1;
  PermutedDiagonalMatrix a_;
  std::vector<float> b_, gw_, gb_;
};

NOCSIM_REGISTER(layer_registry(), PdDenseLayer, "pd_dense",
                "fully-connected, permuted-diagonal weights (block size p)");

}  // namespace
}  // namespace nocsim::models
