#pragma once
// Model architectures by name: trainable ones (mlp, pd_mlp, cnn) and layer-shape catalogs for
// traffic studies (lenet5, alexnet, vgg16, resnet50). Each is one file in models/architectures/
// with one NOCSIM_REGISTER(architecture_registry(), ...) line and returns a config::ModelFile
// without weights. ModelConfig.zoo names any of them.
#include <string>
#include <vector>

#include "configs/registry.h"
#include "configs/schema/model_file.pb.h"

namespace nocsim::models {

struct ArchitectureOptions {
  std::vector<int> hidden = {300, 100};  // hidden fully-connected widths
  std::vector<int> block_sizes = {1};    // p per fully-connected layer (one value = all)
  std::vector<int> conv_channels = {16, 32};
  int conv_kernel = 5;
  int conv_block_size = 1;  // p of the conv layers (1 = dense conv2d)
  // Fraction of weights kept in the fully-connected layers of architectures that offer a pruned
  // form (a random mask, models/weight_mask.h); 1 = dense. Not together with block_sizes > 1.
  double density = 1.0;
  int num_classes = 10;
};

class Architecture {
 public:
  virtual ~Architecture() = default;
  virtual config::ModelFile build(const ArchitectureOptions& options) const = 0;
};

using ArchitectureRegistry = Registry<Architecture>;
ArchitectureRegistry& architecture_registry();

// Builds `name`; an unknown name or bad option is a UserError on `field`.
config::ModelFile build_architecture(const std::string& name, const ArchitectureOptions& options,
                                     const std::string& field = "model.zoo");

// Appends layers to a spec while tracking the tensor shape, filling every layer's input shape.
class SpecBuilder {
 public:
  SpecBuilder(std::string name, std::string architecture, int channels, int height, int width,
              int num_classes);
  // p > 1: pd_dense; density < 1: a pruned dense layer (LayerSpec.density). Not both.
  SpecBuilder& dense(const std::string& name, int out, int p = 1, double density = 1.0);
  SpecBuilder& conv(const std::string& name, int out_channels, int kernel, int stride, int padding,
                    int p = 1);
  SpecBuilder& max_pool(const std::string& name, int kernel, int stride = 0, int padding = 0);
  SpecBuilder& avg_pool(const std::string& name, int kernel, int stride = 0, int padding = 0);
  SpecBuilder& relu(const std::string& name);
  // The next layer reads layer `name`'s output ("input": the model's) instead of the previous
  // one (a branch of a graph).
  SpecBuilder& from(const std::string& name);
  // A residual add of the named layers' outputs (same shape); the next layer reads it.
  SpecBuilder& add(const std::string& name, const std::vector<std::string>& inputs);
  // The name of the last layer added (what the next one reads unless `from` says otherwise).
  const std::string& last() const { return spec_.layers(spec_.layers_size() - 1).name(); }
  // Current tensor shape, and jumping back to an earlier one (catalogs that list a shortcut
  // branch's shapes without wiring it).
  config::LayerSpec shape() const { return cur_; }
  SpecBuilder& set_shape(int channels, int height, int width);
  config::ModelFile build() const { return spec_; }

 private:
  config::LayerSpec& append(const std::string& kind, const std::string& name);
  const config::LayerSpec& find(const std::string& name) const;
  config::ModelFile spec_;
  config::LayerSpec cur_;   // out_* = current shape
  std::string next_input_;  // set by from(): what the next layer reads
};

}  // namespace nocsim::models
