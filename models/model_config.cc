#include "models/model_config.h"

#include <algorithm>

#include "configs/user_error.h"
#include "models/architecture.h"
#include "models/model_file.h"
#include "models/weight_mask.h"

namespace nocsim::models {
namespace {

std::string zoo_names() {
  std::string s;
  for (const auto& n : architecture_registry().names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// The zoo's forms are options of the architecture; one that has no layer to apply them to would
// silently run the dense model, so that is an error.
void require_form_applied(const config::ModelFile& spec, const config::ModelConfig& c) {
  const auto& layers = spec.layers();
  if (c.block_size() > 0)
    require(
        std::any_of(layers.begin(), layers.end(),
                    [&](const config::LayerSpec& l) { return l.block_size() == c.block_size(); }),
        "model.block_size",
        "zoo model '" + c.zoo() +
            "' has no fully-connected layers that can be made "
            "permuted-diagonal (alexnet, alexnet_fc, vgg16, vgg16_fc do)");
  if (c.has_density())
    require(std::any_of(layers.begin(), layers.end(),
                        [](const config::LayerSpec& l) { return l.has_density(); }),
            "model.density",
            "zoo model '" + c.zoo() +
                "' has no layers it can prune (alexnet, alexnet_fc, vgg16, "
                "vgg16_fc do)");
}

}  // namespace

config::ModelFile load_model_spec(const config::ModelConfig& c) {
  if (c.block_size() != 0) {
    require(c.block_size() >= 2, "model.block_size",
            "must be >= 2 (the permuted-diagonal block size p; leave it unset for dense), got " +
                std::to_string(c.block_size()));
    require(!c.has_density(), "model.block_size",
            "set either model.block_size (permuted-diagonal) or model.density (pruned), not both");
  }
  if (c.has_density())
    require(c.density() > 0.0 && c.density() <= 1.0, "model.density",
            "must be in (0, 1] (the fraction of weights kept), got " + number_text(c.density()));
  if (!c.file().empty()) {
    for (const auto& [set, field] :
         {std::pair<bool, const char*>{c.block_size() != 0, "block_size"},
          {c.has_density(), "density"},
          {c.random_weights(), "random_weights"}})
      require(!set, std::string("model.") + field,
              "applies to model.zoo only: model.file '" + c.file() +
                  "' carries its own layers and weights");
    return read_model_file(c.file());
  }
  if (c.zoo().empty())
    throw UserError("model",
                    "set model.file (a model file) or model.zoo (one of: " + zoo_names() + ")");
  ArchitectureOptions options;
  if (c.block_size() != 0) options.block_sizes = {c.block_size()};
  if (c.has_density()) options.density = c.density();
  config::ModelFile spec = build_architecture(c.zoo(), options, "model.zoo");
  require_form_applied(spec, c);
  if (!c.random_weights()) return spec;
  // Every layer initialises itself (He-scaled normals, random PD offsets, a random mask at its
  // density) from the seed, as Model::from_spec does for any layer without parameters.
  const Model model = Model::from_spec(spec, c.weights_seed(), "model.zoo");
  config::ModelFile filled = model.to_spec(true);
  filled.set_random_weights_seed(c.weights_seed());
  return filled;
}

}  // namespace nocsim::models
