// Max pooling over k x k windows (stride defaults to k); padded taps never win.
#include <limits>

#include "models/layers/conv_geometry.h"

namespace nocsim::models {
namespace {

class MaxPoolLayer : public Layer {
 public:
  explicit MaxPoolLayer(const config::LayerSpec& spec) : Layer(spec) {
    g_ = conv_geometry(spec, in_, spec.kernel());
    out_ = {in_.channels, g_.out_height, g_.out_width};
  }
  void forward(const Matrix& x, Matrix& y) const override {
    y.resize(x.rows(), out_.size());
    for_each_window([&](int64_t o, const int64_t* taps, int n) {
      y.col(o) = x.col(taps[0]);
      for (int t = 1; t < n; ++t) y.col(o) = y.col(o).cwiseMax(x.col(taps[t]));
    });
  }
  void backward(const Matrix& x, const Matrix& y, const Matrix& dy, Matrix* dx) override {
    if (dx == nullptr) return;
    dx->setZero(x.rows(), in_.size());
    for_each_window([&](int64_t o, const int64_t* taps, int n) {
      for (int64_t b = 0; b < x.rows(); ++b)
        for (int t = 0; t < n; ++t)
          if (x(b, taps[t]) == y(b, o)) {  // first maximum takes the whole gradient
            (*dx)(b, taps[t]) += dy(b, o);
            break;
          }
    });
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int /*begin*/,
                        int /*end*/) const override {
    for_each_window([&](int64_t o, const int64_t* taps, int n) {
      float m = -std::numeric_limits<float>::infinity();
      for (int t = 0; t < n; ++t) m = std::max(m, x[taps[t]]);
      y[o] = m;
    });
    return 0;
  }

 private:
  // f(output feature, input features of the window (in-image taps only), count).
  template <class F>
  void for_each_window(F&& f) const {
    int64_t taps[64 * 64];
    for (int c = 0; c < out_.channels; ++c)
      for (int oy = 0; oy < out_.height; ++oy)
        for (int ox = 0; ox < out_.width; ++ox) {
          int n = 0;
          for (int ky = 0; ky < g_.kernel; ++ky) {
            const int iy = oy * g_.stride + ky - g_.padding;
            if (iy < 0 || iy >= in_.height) continue;
            for (int kx = 0; kx < g_.kernel; ++kx) {
              const int ix = ox * g_.stride + kx - g_.padding;
              if (ix < 0 || ix >= in_.width) continue;
              taps[n++] = (static_cast<int64_t>(c) * in_.height + iy) * in_.width + ix;
            }
          }
          f((static_cast<int64_t>(c) * out_.height + oy) * out_.width + ox, taps, n);
        }
  }
  ConvGeometry g_;
};

NOCSIM_REGISTER(layer_registry(), MaxPoolLayer, "max_pool", "max pooling (k x k, stride k)");

}  // namespace
}  // namespace nocsim::models
