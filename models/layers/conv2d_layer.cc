// 2-D convolution with dense kernels. Weights are [out_channel][in_channel][ky][kx]; a block-row
// is one output channel (all its positions).
#include <cmath>

#include "configs/rng.h"
#include "models/layers/conv_layer_base.h"
#include "models/weight_mask.h"

namespace nocsim::models {
namespace {

class Conv2dLayer : public ConvLayerBase {
 public:
  explicit Conv2dLayer(const config::LayerSpec& spec) : ConvLayerBase(spec) {}
  int64_t num_weights() const override {
    return static_cast<int64_t>(out_.channels) * g_.patch_size();
  }
  int64_t macs() const override { return num_weights() * g_.positions(); }
  int num_block_rows() const override { return out_.channels; }
  void allocate() override {
    w_.assign(num_weights(), 0.0f);
    gw_.assign(num_weights(), 0.0f);
    allocate_bias();
  }
  bool supports_density() const override { return true; }
  void initialize(Rng& rng) override {
    const double scale = std::sqrt(2.0 / (g_.patch_size() * density()));
    for (auto& v : w_) v = static_cast<float>(rng.normal() * scale);
    if (density() < 1.0) apply_random_mask(w_, density(), rng);
  }
  std::span<float> weights() override { return w_; }
  std::span<float> weight_gradients() override { return gw_; }

  void for_each_connection(const ConnectionFn& f) const override {
    visit(0, out_.channels, f, [](int64_t, int) {});
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int begin,
                        int end) const override {
    return accumulate_taps([&](auto&& product, auto&& done) { visit(begin, end, product, done); },
                           w_.data(), x, y);
  }

 protected:
  // Output channels [co_begin, co_end): product(output, input, weight) for every tap inside the
  // input, then done(output, channel), output after output (forward_rows's summation order).
  template <class Product, class Done>
  void visit(int co_begin, int co_end, Product&& product, Done&& done) const {
    const int k = g_.kernel;
    for (int co = co_begin; co < co_end; ++co)
      for (int oy = 0; oy < g_.out_height; ++oy)
        for (int ox = 0; ox < g_.out_width; ++ox) {
          const int64_t o = (static_cast<int64_t>(co) * g_.out_height + oy) * g_.out_width + ox;
          for (int c = 0; c < g_.in_channels; ++c)
            for (int ky = 0; ky < k; ++ky) {
              const int iy = oy * g_.stride + ky - g_.padding;
              if (iy < 0 || iy >= g_.height) continue;
              for (int kx = 0; kx < k; ++kx) {
                const int ix = ox * g_.stride + kx - g_.padding;
                if (ix < 0 || ix >= g_.width) continue;
                product(o, (static_cast<int64_t>(c) * g_.height + iy) * g_.width + ix,
                        static_cast<int64_t>(co) * g_.patch_size() + (c * k + ky) * k + kx);
              }
            }
          done(o, co);
        }
  }
  void dense_weights(RowMatrix& w) const override {
    w = Eigen::Map<const RowMatrix>(w_.data(), out_.channels, g_.patch_size());
  }
  void add_dense_gradient(const RowMatrix& g) override {
    Eigen::Map<RowMatrix>(gw_.data(), out_.channels, g_.patch_size()) += g;
  }

 private:
  std::vector<float> w_, gw_;
};

NOCSIM_REGISTER(layer_registry(), Conv2dLayer, "conv2d", "2-D convolution, dense kernels");

}  // namespace
}  // namespace nocsim::models
