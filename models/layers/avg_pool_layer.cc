// Average pooling over k x k windows (stride defaults to k), averaging the in-image taps only.
#include "models/layers/conv_geometry.h"

namespace nocsim::models {
namespace {

class AvgPoolLayer : public Layer {
 public:
  explicit AvgPoolLayer(const config::LayerSpec& spec) : Layer(spec) {
    g_ = conv_geometry(spec, in_, spec.kernel());
    out_ = {in_.channels, g_.out_height, g_.out_width};
  }
  void forward(const Matrix& x, Matrix& y) const override {
    y.setZero(x.rows(), out_.size());
    for_each_tap([&](int64_t o, int64_t i, float scale) { y.col(o) += scale * x.col(i); });
  }
  void backward(const Matrix& x, const Matrix& /*y*/, const Matrix& dy, Matrix* dx) override {
    if (dx == nullptr) return;
    dx->setZero(x.rows(), in_.size());
    for_each_tap([&](int64_t o, int64_t i, float scale) { dx->col(i) += scale * dy.col(o); });
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int /*begin*/,
                        int /*end*/) const override {
    for (int64_t o = 0; o < out_.size(); ++o) y[o] = 0.0f;
    for_each_tap([&](int64_t o, int64_t i, float scale) { y[o] += scale * x[i]; });
    return 0;
  }

 private:
  template <class F>
  void for_each_tap(F&& f) const {
    for (int c = 0; c < out_.channels; ++c)
      for (int oy = 0; oy < out_.height; ++oy)
        for (int ox = 0; ox < out_.width; ++ox) {
          const int y0 = std::max(0, oy * g_.stride - g_.padding);
          const int y1 = std::min(in_.height, oy * g_.stride - g_.padding + g_.kernel);
          const int x0 = std::max(0, ox * g_.stride - g_.padding);
          const int x1 = std::min(in_.width, ox * g_.stride - g_.padding + g_.kernel);
          const float scale = 1.0f / static_cast<float>((y1 - y0) * (x1 - x0));
          const int64_t o = (static_cast<int64_t>(c) * out_.height + oy) * out_.width + ox;
          for (int iy = y0; iy < y1; ++iy)
            for (int ix = x0; ix < x1; ++ix)
              f(o, (static_cast<int64_t>(c) * in_.height + iy) * in_.width + ix, scale);
        }
  }
  ConvGeometry g_;
};

NOCSIM_REGISTER(layer_registry(), AvgPoolLayer, "avg_pool", "average pooling (k x k, stride k)");

}  // namespace
}  // namespace nocsim::models
