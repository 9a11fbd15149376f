#pragma once
// A runnable model: a graph of layers listed in a topological order (each layer reads the previous
// one unless its spec names its inputs, models/layer_graph.h), built from a config::ModelFile
// spec; the last layer's output is the logits. This is the API the accelerator (pe/) uses:
//   for (int i = 0; i < m.num_layers(); ++i) { const Layer& l = m.layer(i); l.kind(), l.offsets() }
//   m.layer(i).weights() / set_weights(span)   flat parameters (block-rows contiguous)
//   m.layer(i).forward_rows(x, y, b0, b1)      one sample, a range of block-rows, MACs returned
//   m.accuracy(test)                           all test images with the current weights
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "configs/progress.h"
#include "configs/schema/model_file.pb.h"
#include "models/dataset.h"
#include "models/layer.h"
#include "models/layer_graph.h"

namespace nocsim::models {

class Model {
 public:
  Model() = default;
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;

  // Builds the layers of `spec`. Layers whose parameters the spec carries are loaded; the others
  // are initialised randomly from `init_seed`. Inconsistencies throw UserError naming
  // `where` + the field ("model.pb: layers[2].weights").
  static Model from_spec(const config::ModelFile& spec, uint64_t init_seed,
                         const std::string& where = "model");

  int num_layers() const { return static_cast<int>(layers_.size()); }
  Layer& layer(int i) { return *layers_[i]; }
  const Layer& layer(int i) const { return *layers_[i]; }
  // Layer i's producers (-1 = the model input); a join (add) has several.
  const std::vector<int>& inputs(int i) const { return graph_.inputs[i]; }
  const LayerGraph& graph() const { return graph_; }
  TensorShape input_shape() const { return input_; }
  int num_classes() const { return num_classes_; }
  const std::string& name() const { return name_; }
  const std::string& architecture() const { return architecture_; }
  config::TrainingRecord& training() { return training_; }
  const config::TrainingRecord& training() const { return training_; }
  // Weights + biases.
  int64_t num_parameters() const;
  // Multiply-accumulates per inference with dense inputs.
  int64_t macs() const;

  // logits (B x classes) for x (B x input features).
  void forward(const Matrix& x, Matrix& logits) const;
  // acts[0] = x, acts[i + 1] = output of layer i (for training).
  void forward_all(const Matrix& x, std::vector<Matrix>& acts) const;
  // Back-propagation of dL/dlogits through the graph from forward_all's `acts`: every layer's
  // parameter gradients are set (zeroed first). A layer read by several gets the sum of their
  // gradients, added in decreasing consumer order (deterministic).
  void backward(const std::vector<Matrix>& acts, const Matrix& dlogits);
  // One sample through every layer with forward_one (the per-sample path a PE mirrors).
  std::vector<float> forward_one(std::span<const float> x, uint64_t* macs = nullptr) const;
  // The same walk with layer i computed by run(i, input, output) (returning MACs): how other
  // kernels (models/quantized_model.h) reuse the graph.
  using LayerRun = std::function<uint64_t(int, std::span<const float>, std::span<float>)>;
  std::vector<float> run_one(std::span<const float> x, const LayerRun& run,
                             uint64_t* macs = nullptr) const;
  // Fraction of `data` classified correctly (argmax of the logits); `progress` hears the images
  // done after every chunk of them, as `stage`.
  double accuracy(const Dataset& data, Progress* progress = nullptr,
                  std::string_view stage = "accuracy") const;

  config::ModelFile to_spec(bool with_parameters) const;

 private:
  // Layer i's input from the outputs (`outputs(j)` = layer j's, j = -1 the model input): the
  // producer's own matrix, or a join's inputs concatenated along channels in `joined`.
  template <class Outputs>
  const Matrix& input_of(int i, const Outputs& outputs, Matrix& joined) const;
  // Layer i's input for one sample: a join's inputs concatenated (`joined` holds them).
  std::span<const float> sample_input(int i, std::span<const float> x,
                                      const std::vector<std::vector<float>>& outputs,
                                      std::vector<float>& joined) const;

  std::string name_, architecture_;
  TensorShape input_;
  int num_classes_ = 0;
  std::vector<std::unique_ptr<Layer>> layers_;
  LayerGraph graph_;
  config::TrainingRecord training_;
};

template <class Outputs>
const Matrix& Model::input_of(int i, const Outputs& outputs, Matrix& joined) const {
  const std::vector<int>& in = graph_.inputs[i];
  if (in.size() == 1) return outputs(in[0]);
  const Eigen::Index n = outputs(in[0]).cols();
  joined.resize(outputs(in[0]).rows(), n * static_cast<Eigen::Index>(in.size()));
  for (size_t j = 0; j < in.size(); ++j)
    joined.middleCols(static_cast<Eigen::Index>(j) * n, n) = outputs(in[j]);
  return joined;
}

}  // namespace nocsim::models
