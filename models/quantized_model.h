#pragma once
// A model computed on a datapath of given weight and activation precisions (models/precision.h),
// as the PE tiles compute it, so that accuracy pays for the precisions:
//
//   weights      per layer, the decoded float weights rounded to the weight format; integer
//                formats use one scale per layer, s_w = max |w| / qmax (per-tensor max-abs);
//   activations  the input of every weight layer rounded to the activation format; integer
//                formats use one scale per tensor and image, s_a = max |x| / qmax of that layer's
//                whole input (per-tensor max-abs: deterministic and data-free; in the machine
//                every consuming tile holds the whole input, so it can find the maximum itself);
//   integer x integer  sum of q_w * q_a in an integer accumulator (models/precision.h: 32 bits
//                for int8 x int8, 64 otherwise) that starts at the bias rounded to the
//                accumulator's scale s_w * s_a; the exact sum saturates at the accumulator's
//                range; the output is acc * s_w * s_a (one rounding to float);
//   with a float operand  the rounded operands multiplied and summed in fp32, bias added last.
// Weightless layers (ReLU, pooling) stay float; a residual add sums its operands each rounded to
// the activation format at its own tensor's scale (as they travel between tiles), in fp32, and the
// next weight layer rounds the sum (forward_weightless). A weight layer's outputs are computed from
// its connections (Layer::for_each_connection) in a fixed order by one kernel, so a tile's
// block-rows, a whole layer and `nocsim eval` give bit-identical values. fp32 x fp32 is not handled
// here: it is the model's own float kernels (Model, Layer), unchanged.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "configs/progress.h"
#include "models/dataset.h"
#include "models/model.h"
#include "models/precision.h"
#include "models/row_kernel.h"

namespace nocsim::models {

// max |x| / qmax over the finite values (NaN ignored); 1 when there are none or all are zero, and
// for float formats.
double tensor_scale(std::span<const float> x, Precision p);

class QuantizedLayer : public RowKernel {
 public:
  // The connections of `layer` (a weight layer) and its biases; weights come with set_weights.
  QuantizedLayer(const Layer& layer, Datapath dp);
  // Rounds `w` (the layer's flat weights; NaN = not decoded yet, which makes every output that
  // uses it NaN) to the weight format at scale `weight_scale` (tensor_scale of the whole layer).
  void set_weights(std::span<const float> w, double weight_scale);
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int begin,
                        int end) const override;

 private:
  const Layer& layer_;
  Datapath dp_;
  std::vector<int64_t> row_start_;  // per output feature, into in_ / weight_ (CSR)
  std::vector<int32_t> in_, weight_;
  std::vector<int32_t> qw_;  // integer weights (integer datapath)
  std::vector<float> fw_;    // rounded weights (float datapath)
  std::vector<uint8_t> row_missing_;
  double weight_scale_ = 1;
};

class QuantizedModel {
 public:
  // Every weight layer of `model` (which must outlive this) on `dp`, with the model's current
  // weights and a weight scale per layer from them.
  QuantizedModel(const Model& model, Datapath dp);
  const Model& model() const { return model_; }
  // Null for weightless layers (they run the model's own float layer).
  const QuantizedLayer* layer(int i) const { return layers_[i].get(); }
  double weight_scale(int i) const { return scales_[i]; }
  std::vector<float> forward_one(std::span<const float> x, uint64_t* macs = nullptr) const;
  // Fraction of `data` classified correctly (argmax of the logits), one sample at a time;
  // `progress` hears every 256 images (as Model::accuracy).
  double accuracy(const Dataset& data, Progress* progress = nullptr,
                  std::string_view stage = "accuracy") const;

 private:
  const Model& model_;
  Datapath dp_;
  std::vector<std::unique_ptr<QuantizedLayer>> layers_;
  std::vector<double> scales_;
};

// A weightless layer on `dp` (the float layer, but a join rounds each operand first; see above).
uint64_t forward_weightless(const Layer& layer, Datapath dp, std::span<const float> x,
                            std::span<float> y);

// The model's accuracy on `dp`: Model::accuracy for the default datapath, QuantizedModel's
// otherwise (the one function `nocsim eval` and the accelerator both call).
double datapath_accuracy(const Model& model, Datapath dp, const Dataset& data,
                         Progress* progress = nullptr);

}  // namespace nocsim::models
