// 2-D convolution whose (out_channel x in_channel) matrix at every kernel position q = ky*k + kx is
// permuted-diagonal with block size p, each position with its own offsets (PermDNN's conv scheme).
// Order, so that a block-row (p output channels) is contiguous:
//   weights[(((bi * k*k) + q) * nb + bj) * p + r]  ->  out (bi*p + r), in (bj*p + (r + k_) mod p)
//   offsets[((bi * k*k) + q) * nb + bj]
// Channels that are not multiples of p are padded; padded entries stay zero.
#include <cmath>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/layers/conv_layer_base.h"

namespace nocsim::models {
namespace {

class PdConv2dLayer : public ConvLayerBase {
 public:
  explicit PdConv2dLayer(const config::LayerSpec& spec) : ConvLayerBase(spec) {
    require(spec.block_size() >= 1 && spec.block_size() <= 1024, "block_size",
            "p must be in [1, 1024], got " + std::to_string(spec.block_size()));
    p_ = spec.block_size();
    kk_ = g_.kernel * g_.kernel;
    mb_ = (out_.channels + p_ - 1) / p_;
    nb_ = (g_.in_channels + p_ - 1) / p_;
  }
  int block_size() const override { return p_; }
  std::span<const uint32_t> offsets() const override { return k_; }
  int64_t num_weights() const override { return static_cast<int64_t>(mb_) * kk_ * nb_ * p_; }
  int64_t macs() const override {
    return (static_cast<int64_t>(out_.channels) * g_.patch_size() + p_ - 1) / p_ * g_.positions();
  }
  int num_block_rows() const override { return mb_; }
  void allocate() override {
    w_.assign(num_weights(), 0.0f);
    gw_.assign(num_weights(), 0.0f);
    k_.assign(static_cast<size_t>(mb_) * kk_ * nb_, 0);
    allocate_bias();
  }
  void initialize(Rng& rng) override {
    for (auto& k : k_) k = rng.below(static_cast<uint32_t>(p_));
    const double scale = std::sqrt(2.0 * p_ / g_.patch_size());
    for (auto& v : w_) v = static_cast<float>(rng.normal() * scale);
    weights_changed();
  }
  void load(const config::LayerSpec& spec) override {
    require(spec.offsets_size() == static_cast<int>(k_.size()), "offsets",
            "has " + std::to_string(spec.offsets_size()) + " offsets, needs " +
                std::to_string(k_.size()));
    for (uint32_t k : spec.offsets())
      require(k < static_cast<uint32_t>(p_), "offsets",
              "offset " + std::to_string(k) + " is not below p=" + std::to_string(p_));
    std::copy(spec.offsets().begin(), spec.offsets().end(), k_.begin());
    config::LayerSpec rest = spec;
    rest.clear_offsets();
    Layer::load(rest);
  }
  std::span<float> weights() override { return w_; }
  std::span<float> weight_gradients() override { return gw_; }

  void for_each_connection(const ConnectionFn& f) const override {
    visit(0, out_.channels, f, [](int64_t, int) {});
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int begin,
                        int end) const override {
    return accumulate_taps(
        [&](auto&& product, auto&& done) {
          visit(begin * p_, std::min(end * p_, out_.channels), product, done);
        },
        w_.data(), x, y);
  }

 protected:
  // Output channels [co_begin, co_end): product(output, input, weight) for every tap inside the
  // input, then done(output, channel), output after output (forward_rows's summation order).
  template <class Product, class Done>
  void visit(int co_begin, int co_end, Product&& product, Done&& done) const {
    const int k = g_.kernel;
    for (int co = co_begin; co < co_end; ++co) {
      const int bi = co / p_, r = co % p_;
      for (int oy = 0; oy < g_.out_height; ++oy)
        for (int ox = 0; ox < g_.out_width; ++ox) {
          const int64_t o = (static_cast<int64_t>(co) * g_.out_height + oy) * g_.out_width + ox;
          for (int q = 0; q < kk_; ++q) {
            const int iy = oy * g_.stride + q / k - g_.padding;
            const int ix = ox * g_.stride + q % k - g_.padding;
            if (iy < 0 || iy >= g_.height || ix < 0 || ix >= g_.width) continue;
            for (int bj = 0; bj < nb_; ++bj) {
              const size_t blk = (static_cast<size_t>(bi) * kk_ + q) * nb_ + bj;
              const int ci = bj * p_ + static_cast<int>((r + k_[blk]) % p_);
              if (ci >= g_.in_channels) continue;
              product(o, (static_cast<int64_t>(ci) * g_.height + iy) * g_.width + ix,
                      static_cast<int64_t>(blk) * p_ + r);
            }
          }
          done(o, co);
        }
    }
  }
  // Calls f(value index, out channel, dense patch column) for every non-padded stored weight.
  template <class F>
  void for_each_weight(F&& f) const {
    for (int bi = 0; bi < mb_; ++bi)
      for (int q = 0; q < kk_; ++q)
        for (int bj = 0; bj < nb_; ++bj) {
          const size_t blk = (static_cast<size_t>(bi) * kk_ + q) * nb_ + bj;
          for (int r = 0; r < p_; ++r) {
            const int co = bi * p_ + r;
            const int ci = bj * p_ + static_cast<int>((r + k_[blk]) % p_);
            if (co < out_.channels && ci < g_.in_channels) f(blk * p_ + r, co, ci * kk_ + q);
          }
        }
  }
  void dense_weights(RowMatrix& w) const override {
    w.setZero(out_.channels, g_.patch_size());
    for_each_weight([&](size_t v, int co, int col) { w(co, col) = w_[v]; });
  }
  void add_dense_gradient(const RowMatrix& g) override {
    for_each_weight([&](size_t v, int co, int col) { gw_[v] += g(co, col); });
  }
  void weights_changed() override {
    std::vector<uint8_t> used(w_.size(), 0);
    for_each_weight([&](size_t v, int, int) { used[v] = 1; });
    for (size_t v = 0; v < w_.size(); ++v)
      if (!used[v]) w_[v] = 0.0f;
  }

 private:
  int p_ = 1, kk_ = 1, mb_ = 0, nb_ = 0;
  std::vector<float> w_, gw_;
  std::vector<uint32_t> k_;
};

NOCSIM_REGISTER(layer_registry(), PdConv2dLayer, "pd_conv2d",
                "2-D convolution, permuted-diagonal over (out, in) channels per kernel position");

}  // namespace
}  // namespace nocsim::models
