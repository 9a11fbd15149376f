#include "models/quantized_model.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

#include "configs/user_error.h"

namespace nocsim::models {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

int32_t quantize(float v, double scale, int qmax) {
  const double q = std::round(static_cast<double>(v) / scale);
  return static_cast<int32_t>(std::clamp(q, -static_cast<double>(qmax), static_cast<double>(qmax)));
}

// The value the datapath holds for v, as a float (integer formats dequantised).
float round_to(Precision p, double scale, float v) {
  if (!p.is_float) {
    if (std::isnan(v)) return v;
    return static_cast<float>(quantize(v, scale, p.qmax()) * scale);
  }
  return p.bits == 16 ? static_cast<float>(Eigen::half(v)) : v;
}

// Bias rounded to the accumulator's scale; far beyond any accumulator, so the saturation below
// decides, without overflowing the 64-bit sum.
int64_t bias_in_accumulator(float b, double scale) {
  constexpr double kLimit = 4503599627370496.0;  // 2^52
  return static_cast<int64_t>(
      std::clamp(std::round(static_cast<double>(b) / scale), -kLimit, kLimit));
}

}  // namespace

double tensor_scale(std::span<const float> x, Precision p) {
  if (p.is_float) return 1.0;
  float m = 0;
  for (float v : x)
    if (std::isfinite(v)) m = std::max(m, std::fabs(v));
  return m > 0 ? static_cast<double>(m) / p.qmax() : 1.0;
}

QuantizedLayer::QuantizedLayer(const Layer& layer, Datapath dp) : layer_(layer), dp_(dp) {
  const int64_t outs = layer.output_shape().size();
  row_start_.assign(outs + 1, 0);
  int64_t last = -1;
  layer.for_each_connection([&](int64_t o, int64_t i, int64_t w) {
    if (o != last) {
      if (o < last) throw std::logic_error("for_each_connection: outputs out of order");
      for (int64_t r = last + 1; r <= o; ++r) row_start_[r] = static_cast<int64_t>(in_.size());
      last = o;
    }
    in_.push_back(static_cast<int32_t>(i));
    weight_.push_back(static_cast<int32_t>(w));
  });
  for (int64_t r = last + 1; r <= outs; ++r) row_start_[r] = static_cast<int64_t>(in_.size());
  row_missing_.assign(outs, 0);
}

void QuantizedLayer::set_weights(std::span<const float> w, double weight_scale) {
  weight_scale_ = weight_scale;
  if (dp_.integer()) {
    qw_.resize(w.size());
    const int qmax = dp_.weights.qmax();
    for (size_t k = 0; k < w.size(); ++k)
      qw_[k] = std::isnan(w[k]) ? 0 : quantize(w[k], weight_scale, qmax);
  } else {
    fw_.resize(w.size());
    for (size_t k = 0; k < w.size(); ++k) fw_[k] = round_to(dp_.weights, weight_scale, w[k]);
  }
  const int64_t outs = static_cast<int64_t>(row_missing_.size());
  for (int64_t o = 0; o < outs; ++o) {
    uint8_t missing = 0;
    for (int64_t k = row_start_[o]; k < row_start_[o + 1]; ++k)
      missing |= std::isnan(w[weight_[k]]);
    row_missing_[o] = missing;
  }
}

uint64_t QuantizedLayer::forward_rows(std::span<const float> x, std::span<float> y, int begin,
                                      int end) const {
  const auto [o0, o1] = layer_.block_row_outputs(begin, end);
  const auto bias = layer_.bias();
  const int64_t positions =
      static_cast<int64_t>(layer_.output_shape().height) * layer_.output_shape().width;
  const double sa = tensor_scale(x, dp_.activations);
  const bool nan_input = std::any_of(x.begin(), x.end(), [](float v) { return std::isnan(v); });
  uint64_t macs = 0;
  if (dp_.integer()) {
    thread_local std::vector<int32_t> qa;
    qa.resize(x.size());
    const int qmax = dp_.activations.qmax();
    for (size_t i = 0; i < x.size(); ++i) qa[i] = std::isnan(x[i]) ? 0 : quantize(x[i], sa, qmax);
    const bool narrow = dp_.accumulator() == "int32";
    const int64_t lo =
        narrow ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
    const int64_t hi =
        narrow ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int64_t>::max();
    const double out_scale = weight_scale_ * sa;
    for (int64_t o = o0; o < o1; ++o) {
      int64_t acc = bias_in_accumulator(bias[o / positions], out_scale);
      for (int64_t k = row_start_[o]; k < row_start_[o + 1]; ++k) {
        const int32_t a = qa[in_[k]];
        if (a == 0) continue;
        acc += static_cast<int64_t>(qw_[weight_[k]]) * a;
        ++macs;
      }
      acc = std::clamp(acc, lo, hi);
      y[o] = row_missing_[o] || nan_input
                 ? kNaN
                 : static_cast<float>(static_cast<double>(acc) * out_scale);
    }
  } else {
    thread_local std::vector<float> fa;
    fa.resize(x.size());
    for (size_t i = 0; i < x.size(); ++i) fa[i] = round_to(dp_.activations, sa, x[i]);
    for (int64_t o = o0; o < o1; ++o) {
      float acc = 0.0f;
      for (int64_t k = row_start_[o]; k < row_start_[o + 1]; ++k) {
        const float a = fa[in_[k]];
        if (a == 0.0f) continue;
        acc += fw_[weight_[k]] * a;
        ++macs;
      }
      y[o] = acc + bias[o / positions];
    }
  }
  return macs;
}

QuantizedModel::QuantizedModel(const Model& model, Datapath dp) : model_(model), dp_(dp) {
  layers_.resize(model.num_layers());
  scales_.assign(model.num_layers(), 1.0);
  for (int i = 0; i < model.num_layers(); ++i) {
    const Layer& l = model.layer(i);
    if (l.num_weights() == 0) continue;
    layers_[i] = std::make_unique<QuantizedLayer>(l, dp);
    scales_[i] = tensor_scale(l.weights(), dp.weights);
    layers_[i]->set_weights(l.weights(), scales_[i]);
  }
}

std::vector<float> QuantizedModel::forward_one(std::span<const float> x, uint64_t* macs) const {
  return model_.run_one(
      x,
      [&](int i, std::span<const float> in, std::span<float> y) -> uint64_t {
        const Layer& l = model_.layer(i);
        return layers_[i] ? layers_[i]->forward_rows(in, y, 0, l.num_block_rows())
                          : forward_weightless(l, dp_, in, y);
      },
      macs);
}

uint64_t forward_weightless(const Layer& layer, Datapath dp, std::span<const float> x,
                            std::span<float> y) {
  if (!layer.joins_inputs() || dp.is_default()) return layer.forward_one(x, y);
  // Each operand as it travels: rounded to the activation format at its own tensor's scale.
  thread_local std::vector<float> rounded;
  rounded.assign(x.begin(), x.end());
  const size_t n = static_cast<size_t>(layer.output_shape().size());
  for (size_t k = 0; k + n <= rounded.size(); k += n) {
    const std::span<float> part(rounded.data() + k, n);
    const double scale = tensor_scale(part, dp.activations);
    for (float& v : part) v = round_to(dp.activations, scale, v);
  }
  return layer.forward_one(rounded, y);
}

double QuantizedModel::accuracy(const Dataset& data, Progress* progress,
                                std::string_view stage) const {
  if (data.features() != model_.input_shape().size())
    throw UserError("model", "the data set has " + std::to_string(data.features()) +
                                 " features per sample, the model expects " +
                                 std::to_string(model_.input_shape().size()));
  int64_t correct = 0;
  const size_t f = static_cast<size_t>(data.features());
  for (int b = 0; b < data.count; ++b) {
    const std::vector<float> logits =
        forward_one(std::span<const float>(data.pixels.data() + b * f, f));
    correct += std::max_element(logits.begin(), logits.end()) - logits.begin() == data.labels[b];
    const uint64_t done = static_cast<uint64_t>(b + 1);
    if (progress != nullptr && (done % 256 == 0 || b + 1 == data.count))
      progress->update(stage, done, static_cast<uint64_t>(data.count),
                       std::to_string(done) + "/" + std::to_string(data.count) + " images");
  }
  return data.count == 0 ? 0.0 : static_cast<double>(correct) / data.count;
}

double datapath_accuracy(const Model& model, Datapath dp, const Dataset& data, Progress* progress) {
  if (dp.is_default()) return model.accuracy(data, progress);
  return QuantizedModel(model, dp).accuracy(data, progress);
}

}  // namespace nocsim::models
