#include "models/architecture.h"

#include <stdexcept>

#include "configs/user_error.h"
#include "models/layer.h"
#include "models/layer_graph.h"
#include "models/weight_mask.h"

namespace nocsim::models {

ArchitectureRegistry& architecture_registry() {
  static ArchitectureRegistry registry("model architecture");
  return registry;
}

config::ModelFile build_architecture(const std::string& name, const ArchitectureOptions& options,
                                     const std::string& field) {
  auto arch = architecture_registry().create(name, field);
  for (int h : options.hidden) require(h >= 1, field, "hidden widths must be >= 1");
  for (int p : options.block_sizes) require(p >= 1 && p <= 1024, field, "p must be in [1, 1024]");
  for (int c : options.conv_channels) require(c >= 1, field, "conv channels must be >= 1");
  require(options.density > 0.0 && options.density <= 1.0, field,
          "density must be in (0, 1], got " + number_text(options.density));
  return arch->build(options);
}

SpecBuilder::SpecBuilder(std::string name, std::string architecture, int channels, int height,
                         int width, int num_classes) {
  spec_.set_format_version(1);
  spec_.set_name(std::move(name));
  spec_.set_architecture(std::move(architecture));
  spec_.set_input_channels(channels);
  spec_.set_input_height(height);
  spec_.set_input_width(width);
  spec_.set_num_classes(num_classes);
  set_shape(channels, height, width);
}

SpecBuilder& SpecBuilder::set_shape(int channels, int height, int width) {
  cur_.set_out_channels(channels);
  cur_.set_out_height(height);
  cur_.set_out_width(width);
  return *this;
}

const config::LayerSpec& SpecBuilder::find(const std::string& name) const {
  for (const auto& l : spec_.layers())
    if (l.name() == name) return l;
  throw std::logic_error("SpecBuilder: no layer named '" + name + "'");
}

SpecBuilder& SpecBuilder::from(const std::string& name) {
  next_input_ = name;
  if (name == kModelInputName)
    return set_shape(spec_.input_channels(), spec_.input_height(), spec_.input_width());
  const config::LayerSpec& l = find(name);
  return set_shape(l.out_channels(), l.out_height(), l.out_width());
}

config::LayerSpec& SpecBuilder::append(const std::string& kind, const std::string& name) {
  config::LayerSpec& l = *spec_.add_layers();
  l.set_kind(kind);
  l.set_name(name);
  if (!next_input_.empty()) l.add_inputs(next_input_);
  next_input_.clear();
  l.set_in_channels(cur_.out_channels());
  l.set_in_height(cur_.out_height());
  l.set_in_width(cur_.out_width());
  return l;
}

namespace {
// Lets the layer itself compute its output shape and sizes (one source of truth per kind).
void finish(config::LayerSpec& l, config::LayerSpec& cur) {
  auto layer = make_layer(l, "layers." + l.name());
  l = layer->to_spec(false);
  cur.set_out_channels(l.out_channels());
  cur.set_out_height(l.out_height());
  cur.set_out_width(l.out_width());
}
}  // namespace

SpecBuilder& SpecBuilder::dense(const std::string& name, int out, int p, double density) {
  require(p <= 1 || density == 1.0, "layers." + name + ".density",
          "a permuted-diagonal layer (p = " + std::to_string(p) + ") cannot also be pruned");
  auto& l = append(p > 1 ? "pd_dense" : "dense", name);
  l.set_out_channels(out);
  if (p > 1) l.set_block_size(p);
  if (density != 1.0) l.set_density(density);
  finish(l, cur_);
  return *this;
}

SpecBuilder& SpecBuilder::conv(const std::string& name, int out_channels, int kernel, int stride,
                               int padding, int p) {
  auto& l = append(p > 1 ? "pd_conv2d" : "conv2d", name);
  l.set_out_channels(out_channels);
  l.set_kernel(kernel);
  l.set_stride(stride);
  l.set_padding(padding);
  if (p > 1) l.set_block_size(p);
  finish(l, cur_);
  return *this;
}

SpecBuilder& SpecBuilder::max_pool(const std::string& name, int kernel, int stride, int padding) {
  auto& l = append("max_pool", name);
  l.set_kernel(kernel);
  l.set_stride(stride);
  l.set_padding(padding);
  finish(l, cur_);
  return *this;
}

SpecBuilder& SpecBuilder::avg_pool(const std::string& name, int kernel, int stride, int padding) {
  auto& l = append("avg_pool", name);
  l.set_kernel(kernel);
  l.set_stride(stride);
  l.set_padding(padding);
  finish(l, cur_);
  return *this;
}

SpecBuilder& SpecBuilder::add(const std::string& name, const std::vector<std::string>& inputs) {
  const config::LayerSpec& first = find(inputs.at(0));
  set_shape(first.out_channels() * static_cast<int>(inputs.size()), first.out_height(),
            first.out_width());
  next_input_.clear();
  auto& l = append("add", name);
  for (const auto& in : inputs) l.add_inputs(in);
  finish(l, cur_);
  return *this;
}

SpecBuilder& SpecBuilder::relu(const std::string& name) {
  auto& l = append("relu", name);
  finish(l, cur_);
  return *this;
}

}  // namespace nocsim::models
