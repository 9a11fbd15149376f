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
  const int n = static_cast<int>(layers.size());
  auto where = [&](int i) { return field + ".layers[" + std::to_string(i) + "]"; };
  auto text = [&](int i) { return "layer '" + layers[i].name + "' (" + layers[i].kind + ")"; };
  auto inputs = [&](int i) {
    return layers[i].inputs.empty() ? std::vector<int>{i - 1} : layers[i].inputs;
  };
  std::vector<int> owner(n, -1);  // the stage whose tiles compute layer i (-1: the prefix)
  std::vector<int> readers(n, 0);
  for (int i = 0; i < n; ++i)
    for (int p : inputs(i))
      if (p >= 0) ++readers[p];
  // Layers read across stages, (stage, layer): each must end up as its stage's output.
  std::vector<std::pair<int, int>> sent;
  for (int i = 0; i < n; ++i) {
    const models::LayerInfo& l = layers[i];
    const std::vector<int> in = inputs(i);
    if (!has_weights(l)) {
      if (plan.stages.empty()) {
        require(in == std::vector<int>{i - 1}, where(i),
                text(i) +
                    " runs ahead of the first weight layer, at the memory controller, which "
                    "computes only a chain of layers");
        plan.prefix.push_back(i);
        continue;
      }
      // Fused after the operand computed last among those only this layer reads.
      int chain = -1;
      for (int p : in)
        if (p >= 0 && owner[p] >= 0 && readers[p] == 1 && (chain < 0 || owner[p] > owner[chain]))
          chain = p;
      require(chain >= 0, where(i),
              text(i) +
                  " reads no output that only it reads; the accelerator runs a weightless "
                  "layer on the tiles of the layer before it, which then send only its "
                  "result");
      Stage& s = plan.stages[owner[chain]];
      require(l.output.channels == s.out_channels, where(i),
              "weightless layer '" + l.name + "' of kind '" + l.kind +
                  "' changes the channel count; only channel-local layers (relu, pooling, add) "
                  "can follow a weight layer on the accelerator");
      for (int p : in) {
        if (p == chain) continue;
        require(p >= 0 && owner[p] >= 0, where(i),
                text(i) +
                    " adds the model's input; on the accelerator an add reads outputs of "
                    "weight layers");
        require(owner[p] < owner[chain], where(i),
                text(i) + " runs on the tiles of '" + s.name + "' but reads '" + layers[p].name +
                    "', computed after it");
        if (std::find(s.sources.begin(), s.sources.end(), owner[p]) == s.sources.end()) {
          s.sources.push_back(owner[p]);
          s.in_elems += layers[p].output.size();
        }
        sent.push_back({owner[p], p});
        s.adds_per_channel += static_cast<int64_t>(l.output.height) * l.output.width;
      }
      owner[i] = owner[chain];
      s.fused.push_back(i);
      s.out_elems_per_channel = static_cast<int64_t>(l.output.height) * l.output.width;
      s.out_elems = l.output.size();
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
    require(l.num_block_rows > 0 && l.num_weights % l.num_block_rows == 0, where(i),
            "weights of layer '" + l.name + "' do not split evenly into its block-rows");
    s.weights_per_block_row = l.num_weights / l.num_block_rows;
    s.macs = l.macs;
    s.in_elems = l.input.size();
    s.out_elems_per_channel = static_cast<int64_t>(l.output.height) * l.output.width;
    s.out_elems = l.output.size();
    const int p = in.at(0);
    if (plan.stages.empty()) {
      s.sources = {-1};
    } else {
      require(p >= 0 && owner[p] >= 0, where(i),
              text(i) +
                  " reads the model's input; only the first weight layer can (the memory "
                  "controller sends the input to its tiles)");
      s.sources = {owner[p]};
      sent.push_back({owner[p], p});
    }
    owner[i] = static_cast<int>(plan.stages.size());
    plan.stages.push_back(s);
  }
  require(!plan.stages.empty(), field, "the model has no layer with weights to place on PE tiles");
  for (const auto& [k, layer] : sent) {
    const Stage& st = plan.stages[k];
    const int end = st.fused.empty() ? st.layer : st.fused.back();
    require(end == layer, where(layer),
            text(layer) + " is read by another stage but its stage ('" + st.name +
                "') goes on to '" + layers[end].name + "'; the tiles send only a stage's output");
  }
  const int last = static_cast<int>(plan.stages.size()) - 1;
  for (int s = 0; s <= last; ++s)
    for (int k : plan.stages[s].sources)
      if (k >= 0 && (plan.stages[k].consumers.empty() || plan.stages[k].consumers.back() != s))
        plan.stages[k].consumers.push_back(s);
  for (int s = 0; s < last; ++s)
    require(!plan.stages[s].consumers.empty(), where(plan.stages[s].layer),
            text(plan.stages[s].layer) + ": no later weight layer reads its stage's output");
  require(owner[n - 1] == last, where(n - 1),
          text(n - 1) + ", the model's output, is not computed by the last weight layer's tiles");
  plan.input_elems = plan.stages.front().in_elems;
  plan.stage_of = std::move(owner);
  return plan;
}

}  // namespace nocsim::pe
