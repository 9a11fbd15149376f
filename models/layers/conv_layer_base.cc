#include "models/layers/conv_layer_base.h"

#include <algorithm>

#include "configs/user_error.h"

namespace nocsim::models {

ConvLayerBase::ConvLayerBase(const config::LayerSpec& spec) : Layer(spec) {
  require(spec.out_channels() >= 1, "out_channels", "a conv layer needs out_channels >= 1");
  g_ = conv_geometry(spec, in_, 1);
  out_ = {spec.out_channels(), g_.out_height, g_.out_width};
}

void ConvLayerBase::allocate_bias() {
  b_.assign(out_.channels, 0.0f);
  gb_.assign(out_.channels, 0.0f);
}

void ConvLayerBase::forward(const Matrix& x, Matrix& y) const {
  thread_local Matrix patches, out;
  thread_local RowMatrix w;
  dense_weights(w);
  const int batch = static_cast<int>(x.rows());
  const int positions = g_.positions();
  y.resize(batch, out_.size());
  const int chunk = conv_chunk(g_);
  for (int b0 = 0; b0 < batch; b0 += chunk) {
    const int len = std::min(chunk, batch - b0);
    im2col(g_, x, b0, len, patches);
    out.noalias() = patches * w.transpose();  // (len * positions) x out_channels
    for (int co = 0; co < out_.channels; ++co)
      for (int pos = 0; pos < positions; ++pos) {
        const float* src =
            out.data() + static_cast<int64_t>(co) * out.rows() + static_cast<int64_t>(pos) * len;
        float* dst = y.data() + (static_cast<int64_t>(co) * positions + pos) * batch + b0;
        for (int b = 0; b < len; ++b) dst[b] = src[b] + b_[co];
      }
  }
}

void ConvLayerBase::backward(const Matrix& x, const Matrix& /*y*/, const Matrix& dy, Matrix* dx) {
  thread_local Matrix patches, dyc, dpatches;
  thread_local RowMatrix w, gw;
  dense_weights(w);
  gw.setZero(w.rows(), w.cols());
  const int batch = static_cast<int>(x.rows());
  const int positions = g_.positions();
  if (dx != nullptr) dx->setZero(batch, in_.size());
  const int chunk = conv_chunk(g_);
  for (int b0 = 0; b0 < batch; b0 += chunk) {
    const int len = std::min(chunk, batch - b0);
    im2col(g_, x, b0, len, patches);
    dyc.resize(static_cast<int64_t>(len) * positions, out_.channels);
    for (int co = 0; co < out_.channels; ++co)
      for (int pos = 0; pos < positions; ++pos) {
        const float* src = dy.data() + (static_cast<int64_t>(co) * positions + pos) * batch + b0;
        std::copy(
            src, src + len,
            dyc.data() + static_cast<int64_t>(co) * dyc.rows() + static_cast<int64_t>(pos) * len);
      }
    gw.noalias() += dyc.transpose() * patches;
    for (int co = 0; co < out_.channels; ++co) gb_[co] += dyc.col(co).sum();
    if (dx != nullptr) {
      dpatches.noalias() = dyc * w;
      col2im_add(g_, dpatches, b0, len, *dx);
    }
  }
  add_dense_gradient(gw);
}

}  // namespace nocsim::models
