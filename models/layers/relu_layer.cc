// Rectified linear unit, y = max(x, 0), elementwise; keeps the shape.
#include "models/layer.h"

namespace nocsim::models {
namespace {

class ReluLayer : public Layer {
 public:
  explicit ReluLayer(const config::LayerSpec& spec) : Layer(spec) { out_ = in_; }
  void forward(const Matrix& x, Matrix& y) const override { y = x.cwiseMax(0.0f); }
  void backward(const Matrix& /*x*/, const Matrix& y, const Matrix& dy, Matrix* dx) override {
    if (dx != nullptr) *dx = (y.array() > 0.0f).select(dy, 0.0f);
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int /*begin*/,
                        int /*end*/) const override {
    for (int64_t i = 0; i < in_.size(); ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return 0;
  }
};

NOCSIM_REGISTER(layer_registry(), ReluLayer, "relu", "rectified linear unit");

}  // namespace
}  // namespace nocsim::models
