// Element-wise sum of two or more producers' outputs of one shape (a residual connection). Its
// input is those outputs concatenated along channels (models/layer_graph.h), so it keeps the
// one-input layer interface: forward sums the k slices, backward hands dy to every slice.
#include "configs/user_error.h"
#include "models/layer.h"

namespace nocsim::models {
namespace {

class AddLayer : public Layer {
 public:
  explicit AddLayer(const config::LayerSpec& spec) : Layer(spec), k_(spec.inputs_size()) {
    require(k_ >= 2, "inputs", "an add names two or more input layers, got " + std::to_string(k_));
    require(in_.channels % k_ == 0, "in_channels",
            "the input (" + shape_text(in_) + ") is not " + std::to_string(k_) +
                " inputs of one shape concatenated along channels");
    out_ = {in_.channels / k_, in_.height, in_.width};
  }
  bool joins_inputs() const override { return true; }
  void forward(const Matrix& x, Matrix& y) const override {
    const Eigen::Index n = out_.size();
    y = x.middleCols(0, n);
    for (int j = 1; j < k_; ++j) y += x.middleCols(j * n, n);
  }
  void backward(const Matrix& /*x*/, const Matrix& /*y*/, const Matrix& dy, Matrix* dx) override {
    if (dx == nullptr) return;
    const Eigen::Index n = out_.size();
    dx->resize(dy.rows(), n * k_);
    for (int j = 0; j < k_; ++j) dx->middleCols(j * n, n) = dy;
  }
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int /*begin*/,
                        int /*end*/) const override {
    const int64_t n = out_.size();
    for (int64_t i = 0; i < n; ++i) {
      float s = x[i];
      for (int j = 1; j < k_; ++j) s += x[j * n + i];
      y[i] = s;
    }
    return 0;
  }

 private:
  int k_;
};

NOCSIM_REGISTER(layer_registry(), AddLayer, "add",
                "element-wise sum of two or more layers' outputs (residual connection)");

}  // namespace
}  // namespace nocsim::models
