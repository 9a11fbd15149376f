#include "models/layer_graph.h"

#include <algorithm>
#include <map>

#include "configs/user_error.h"

namespace nocsim::models {

LayerGraph resolve_layer_graph(const config::ModelFile& spec, const std::string& where) {
  const int n = spec.layers_size();
  LayerGraph g;
  g.inputs.resize(n);
  g.consumers.resize(n);
  // Names of the layers seen so far; -2 marks a name two of them share.
  std::map<std::string, int> earlier, all;
  for (int i = 0; i < n; ++i) {
    const std::string& name = spec.layers(i).name();
    if (!name.empty()) all.emplace(name, i);
  }
  for (int i = 0; i < n; ++i) {
    const config::LayerSpec& ls = spec.layers(i);
    const std::string field = where + ": layers[" + std::to_string(i) + "]";
    if (ls.inputs_size() == 0) {
      g.inputs[i] = {i - 1};
    } else {
      for (int j = 0; j < ls.inputs_size(); ++j) {
        const std::string& ref = ls.inputs(j);
        const std::string f = field + ".inputs[" + std::to_string(j) + "]";
        const std::string who = "layer '" + ls.name() + "' reads '" + ref + "'";
        int producer = -1;
        if (ref != kModelInputName) {
          const auto it = earlier.find(ref);
          if (it == earlier.end()) {
            const auto later = all.find(ref);
            if (later == all.end()) throw UserError(f, who + ": no layer has that name");
            throw UserError(f, who + ", which is layers[" + std::to_string(later->second) +
                                   "], not listed before it: a layer reads only earlier layers "
                                   "(a cycle, or the file's order is not the graph's)");
          }
          if (it->second == -2) throw UserError(f, who + ": two earlier layers have that name");
          producer = it->second;
        }
        g.inputs[i].push_back(producer);
      }
    }
    if (g.inputs[i] != std::vector<int>{i - 1}) g.chain = false;
    for (int p : g.inputs[i])
      if (p >= 0 && (g.consumers[p].empty() || g.consumers[p].back() != i))
        g.consumers[p].push_back(i);
    if (!ls.name().empty()) {
      auto [it, fresh] = earlier.emplace(ls.name(), i);
      if (!fresh) it->second = -2;
    }
  }
  if (!g.chain && all.count(kModelInputName))
    throw UserError(where + ": layers[" + std::to_string(all.at(kModelInputName)) + "].name",
                    std::string("'") + kModelInputName +
                        "' names the model's input in a layer's inputs; rename the layer");
  for (int i = 0; i + 1 < n; ++i)
    if (g.consumers[i].empty())
      throw UserError(where + ": layers[" + std::to_string(i) + "].name",
                      "the output of layer '" + spec.layers(i).name() +
                          "' is read by no layer (only the last layer's output is the model's)");
  return g;
}

GraphShapes::GraphShapes(const config::ModelFile& spec, const std::string& where)
    : where_(where),
      graph_(resolve_layer_graph(spec, where)),
      input_{spec.input_channels(), std::max(1, spec.input_height()),
             std::max(1, spec.input_width())},
      outputs_(spec.layers_size()) {
  for (const auto& l : spec.layers()) names_.push_back(l.kind() + " '" + l.name() + "'");
}

TensorShape GraphShapes::input(int i) const {
  const std::vector<int>& in = graph_.inputs[i];
  auto out = [&](int p) { return p < 0 ? input_ : outputs_[p]; };
  TensorShape s = out(in[0]);
  for (size_t j = 1; j < in.size(); ++j) {
    const TensorShape o = out(in[j]);
    if (o != s)
      throw UserError(where_ + ": layers[" + std::to_string(i) + "].inputs",
                      names_[i] + " joins inputs of different shapes: " + shape_text(s) + " and " +
                          shape_text(o) + " (inputs[" + std::to_string(j) + "])");
  }
  // The bound keeps the joined size inside int; the model-file checks bound it further.
  if (static_cast<int64_t>(s.channels) * static_cast<int64_t>(in.size()) > (int64_t{1} << 30))
    throw UserError(where_ + ": layers[" + std::to_string(i) + "].inputs",
                    names_[i] + " joins too many inputs (" + std::to_string(in.size()) + ")");
  s.channels *= static_cast<int>(in.size());
  return s;
}

config::LayerSpec GraphShapes::with_input(int i, config::LayerSpec ls) const {
  if (ls.in_channels() == 0) {  // a builder may leave the shapes to the reader
    const TensorShape s = input(i);
    ls.set_in_channels(s.channels);
    ls.set_in_height(s.height);
    ls.set_in_width(s.width);
  }
  return ls;
}

void GraphShapes::check_arity(int i, const Layer& layer) const {
  const size_t n = graph_.inputs[i].size();
  if (!layer.joins_inputs() && n != 1)
    throw UserError(where_ + ": layers[" + std::to_string(i) + "].inputs",
                    names_[i] + " reads one input, the file names " + std::to_string(n));
}

}  // namespace nocsim::models
