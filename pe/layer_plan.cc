#include "pe/layer_plan.h"

#include <algorithm>

#include "configs/user_error.h"

namespace nocsim::pe {

namespace {
bool has_weights(const models::LayerInfo& l) {
  return l.num_weights > 0;
}
}  // namespace

LayerPlan plan_layers(const std::vector<models::LayerInfo>& layers, const std::string& field) {
  LayerPlan plan;
  for (int i = 0; i < static_cast<int>(layers.size()); ++i) {
    const models::LayerInfo& l = layers[i];
    if (!has_weights(l)) {
      if (plan.stages.empty()) {
        plan.prefix.push_back(i);
      } else {
        Stage& s = plan.stages.back();
        require(l.output.channels == s.out_channels, field + ".layers[" + std::to_string(i) + "]",
                "weightless layer '" + l.name + "' of kind '" + l.kind +
                    "' changes the channel count; only channel-local layers (relu, pooling) can "
                    "follow a weight layer on the accelerator");
        s.fused.push_back(i);
        s.out_elems_per_channel = static_cast<int64_t>(l.output.height) * l.output.width;
        s.out_elems = l.output.size();
      }
      continue;
    }
    Stage s;
    s.layer = i;
    s.name = l.name;
    s.kind = l.kind;
    s.block_rows = l.num_block_rows;
    s.channels_per_block_row = std::max(1, l.block_size);
    s.out_channels = l.output.channels;
    s.density = l.density;
    s.weights = l.num_weights;
    require(l.num_block_rows > 0 && l.num_weights % l.num_block_rows == 0,
            field + ".layers[" + std::to_string(i) + "]",
            "weights of layer '" + l.name + "' do not split evenly into its block-rows");
    s.weights_per_block_row = l.num_weights / l.num_block_rows;
    s.macs = l.macs;
    s.in_elems = l.input.size();
    s.out_elems_per_channel = static_cast<int64_t>(l.output.height) * l.output.width;
    s.out_elems = l.output.size();
    plan.stages.push_back(s);
  }
  require(!plan.stages.empty(), field, "the model has no layer with weights to place on PE tiles");
  plan.input_elems = plan.stages.front().in_elems;
  return plan;
}

}  // namespace nocsim::pe
