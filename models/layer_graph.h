#pragma once
// Which layers feed which. A model file lists its layers in an order where every layer comes after
// the layers it reads (LayerSpec.inputs, by name; empty = the previous layer), so the list is a
// topological order of the graph and a forward reference is the only way to write a cycle. A
// layer that joins several inputs (an add) reads their outputs concatenated along channels: every
// other layer kind keeps its one-input interface, and the join's gradient is that input's
// gradient, split back to the producers.
#include <span>
#include <string>
#include <vector>

#include "configs/schema/model_file.pb.h"
#include "models/layer.h"

namespace nocsim::models {

// The name a layer's `inputs` uses for the model's input (no layer may take it).
inline constexpr const char* kModelInputName = "input";

struct LayerGraph {
  std::vector<std::vector<int>> inputs;     // per layer: producers in order; -1 = the model input
  std::vector<std::vector<int>> consumers;  // per layer: the layers that read it, ascending
  bool chain = true;                        // every layer reads only the one before it
};

// Resolves every LayerSpec.inputs. UserError on "<where>: layers[i].inputs[j]" (a name no earlier
// layer has, a later layer or itself: a cycle, a name two earlier layers share) and on
// "<where>: layers[i].name" (a layer other than the last whose output nobody reads, a layer named
// "input" that others read).
LayerGraph resolve_layer_graph(const config::ModelFile& spec, const std::string& where);

// The tensor shapes along a graph, filled in layer order: each layer's input from its producers'
// outputs (a join's: their shapes concatenated along channels, which must agree in all else).
class GraphShapes {
 public:
  GraphShapes(const config::ModelFile& spec, const std::string& where);
  const LayerGraph& graph() const { return graph_; }
  // Layer i's input shape; its producers' outputs must have been set. A join whose inputs differ
  // in shape is a UserError on "<where>: layers[i].inputs".
  TensorShape input(int i) const;
  // `ls` (layer i's spec) with in_* filled from input(i) when the file leaves them at 0.
  config::LayerSpec with_input(int i, config::LayerSpec ls) const;
  void set_output(int i, TensorShape s) { outputs_[i] = s; }
  // Layer i's producers count and its kind agree: a join reads two or more, others one.
  void check_arity(int i, const Layer& layer) const;

 private:
  std::string where_;
  LayerGraph graph_;
  TensorShape input_;
  std::vector<TensorShape> outputs_;
  std::vector<std::string> names_;
};

}  // namespace nocsim::models
