#pragma once
// What dense and permuted-diagonal conv2d layers share: shapes, bias, and the batched im2col GEMM.
// A subclass supplies its weights as a dense (out_channels x patch) matrix and folds the dense
// weight gradient back onto its own parameters.
#include <cstdint>
#include <span>
#include <vector>

#include "models/layer.h"
#include "models/layers/conv_geometry.h"

namespace nocsim::models {

class ConvLayerBase : public Layer {
 public:
  explicit ConvLayerBase(const config::LayerSpec& spec);
  int64_t num_bias() const override { return out_.channels; }
  std::span<float> bias() override { return b_; }
  std::span<float> bias_gradients() override { return gb_; }

  void forward(const Matrix& x, Matrix& y) const override;
  void backward(const Matrix& x, const Matrix& y, const Matrix& dy, Matrix* dx) override;

 protected:
  // Dense weights, row-major out_channels x patch_size (patch column = in_channel * k*k + ky*k +
  // kx).
  virtual void dense_weights(RowMatrix& w) const = 0;
  virtual void add_dense_gradient(const RowMatrix& g) = 0;
  void allocate_bias();
  // forward_rows over the taps that `visit(product, done)` lists (a subclass's own loop over its
  // output channels): product(output, input, weight index) per tap, done(output, channel) after
  // each output. Zero inputs skipped; returns the MACs performed.
  template <class Visit>
  uint64_t accumulate_taps(const Visit& visit, const float* w, std::span<const float> x,
                           std::span<float> y) const {
    uint64_t macs = 0;
    float acc = 0.0f;
    visit(
        [&](int64_t, int64_t i, int64_t v) {
          const float a = x[i];
          if (a == 0.0f) return;
          acc += w[v] * a;
          ++macs;
        },
        [&](int64_t o, int co) {
          y[o] = acc + b_[co];
          acc = 0.0f;
        });
    return macs;
  }

  ConvGeometry g_;
  std::vector<float> b_, gb_;
};

}  // namespace nocsim::models
