#include "models/layer.h"

#include <algorithm>
#include <stdexcept>

#include "configs/user_error.h"
#include "models/weight_mask.h"

namespace nocsim::models {

LayerRegistry& layer_registry() {
  static LayerRegistry registry("layer kind");
  return registry;
}

std::string shape_text(TensorShape s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" +
         std::to_string(s.width);
}

Layer::Layer(const config::LayerSpec& spec) : spec_(spec) {
  spec_.clear_weights();
  spec_.clear_bias();
  spec_.clear_offsets();
  require(spec.in_channels() >= 1 && spec.in_height() >= 0 && spec.in_width() >= 0, "in_channels",
          "input shape must be positive");
  in_ = {spec.in_channels(), std::max(1, spec.in_height()), std::max(1, spec.in_width())};
  require(!spec.has_density() || (spec.density() > 0.0 && spec.density() <= 1.0), "density",
          "must be in (0, 1] (the fraction of weights kept), got " + number_text(spec.density()));
}

void Layer::load(const config::LayerSpec& spec) {
  auto w = weights();
  auto b = bias();
  require(static_cast<size_t>(spec.weights_size()) == w.size(), "weights",
          "has " + std::to_string(spec.weights_size()) + " values, layer '" + kind() +
              "' of this shape needs " + std::to_string(w.size()));
  require(static_cast<size_t>(spec.bias_size()) == b.size(), "bias",
          "has " + std::to_string(spec.bias_size()) + " values, needs " + std::to_string(b.size()));
  require(spec.offsets_size() == 0, "offsets", "layer kind '" + kind() + "' takes no offsets");
  std::copy(spec.weights().begin(), spec.weights().end(), w.begin());
  std::copy(spec.bias().begin(), spec.bias().end(), b.begin());
  weights_changed();
}

config::LayerSpec Layer::to_spec(bool with_parameters) const {
  config::LayerSpec s = spec_;
  s.set_in_channels(in_.channels);
  s.set_in_height(in_.height);
  s.set_in_width(in_.width);
  s.set_out_channels(out_.channels);
  s.set_out_height(out_.height);
  s.set_out_width(out_.width);
  s.set_num_weights(num_weights());
  s.set_macs(macs());
  if (block_size() > 1) s.set_block_size(block_size());
  if (with_parameters) {
    s.mutable_offsets()->Add(offsets().begin(), offsets().end());
    s.mutable_weights()->Add(weights().begin(), weights().end());
    s.mutable_bias()->Add(bias().begin(), bias().end());
  }
  return s;
}

void Layer::set_weights(std::span<const float> w) {
  auto dst = weights();
  if (w.size() != dst.size())
    throw std::invalid_argument("layer '" + name() + "': set_weights got " +
                                std::to_string(w.size()) + " values, needs " +
                                std::to_string(dst.size()));
  std::copy(w.begin(), w.end(), dst.begin());
  weights_changed();
}

std::pair<int64_t, int64_t> Layer::block_row_outputs(int begin, int end) const {
  const int64_t per = static_cast<int64_t>(block_size()) * out_.height * out_.width;
  return {std::min(begin * per, out_.size()), std::min(end * per, out_.size())};
}

void Layer::zero_gradients() {
  for (auto g : {weight_gradients(), bias_gradients()}) std::fill(g.begin(), g.end(), 0.0f);
}

std::unique_ptr<Layer> make_layer(const config::LayerSpec& spec, const std::string& field) {
  try {
    return layer_registry().create(spec.kind(), field + ".kind", spec);
  } catch (const UserError& e) {
    if (e.field().rfind(field, 0) == 0) throw;
    throw UserError(field + "." + e.field(), e.reason());
  }
}

}  // namespace nocsim::models
