#pragma once
// A runnable model: a chain of layers (each layer's input shape is the previous one's output),
// built from a config::ModelFile spec. This is the API the accelerator (pe/) uses:
//   for (int i = 0; i < m.num_layers(); ++i) { const Layer& l = m.layer(i); l.kind(), l.offsets() }
//   m.layer(i).weights() / set_weights(span)   flat parameters (block-rows contiguous)
//   m.layer(i).forward_rows(x, y, b0, b1)      one sample, a range of block-rows, MACs returned
//   m.accuracy(test)                           all test images with the current weights
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "configs/progress.h"
#include "configs/schema/model_file.pb.h"
#include "models/dataset.h"
#include "models/layer.h"

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
  // One sample through every layer with forward_one (the per-sample path a PE mirrors).
  std::vector<float> forward_one(std::span<const float> x, uint64_t* macs = nullptr) const;
  // Fraction of `data` classified correctly (argmax of the logits); `progress` hears the images
  // done after every chunk of them, as `stage`.
  double accuracy(const Dataset& data, Progress* progress = nullptr,
                  std::string_view stage = "accuracy") const;

  config::ModelFile to_spec(bool with_parameters) const;

 private:
  std::string name_, architecture_;
  TensorShape input_;
  int num_classes_ = 0;
  std::vector<std::unique_ptr<Layer>> layers_;
  config::TrainingRecord training_;
};

}  // namespace nocsim::models
