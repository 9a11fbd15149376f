#pragma once
// The functional side of a run with weights: the model the tiles assemble from the chunks they
// decode (NaN until a tile's chunks arrive, so a block-row computed from missing weights cannot
// pass), the reference model holding every layer's decoded weights, and the activations of every
// image in flight. Several images may be in the pipeline at once, so activations are per image.
// On a datapath other than fp32 x fp32 the weight layers compute through models::QuantizedLayer
// (the same kernel for the tiles' block-rows, the reference outputs and the accuracy).
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "models/dataset.h"
#include "models/model.h"
#include "models/precision.h"
#include "models/quantized_model.h"
#include "pe/layer_plan.h"
#include "pe/placement.h"
#include "pe/weight_encoding.h"

namespace nocsim::pe {

class FunctionalModel {
 public:
  FunctionalModel(const config::ModelFile& spec, uint64_t seed, const LayerPlan& plan,
                  const models::Dataset& test, uint32_t images, models::Datapath datapath);

  models::Model& reference() { return reference_; }
  const models::Model& reference() const { return reference_; }
  // Call once the reference holds the decoded weights: every assembled layer becomes NaN.
  void reset_assembled();
  // The tile's chunks of stage `s`, decoded with the layer's header, written into the assembled
  // model: the weights it computes with.
  void decode_share(uint32_t s, const Share& sh, const EncodedWeights& enc);

  // The image's pixels through the weightless layers ahead of the first stage.
  void load_input(uint32_t image);
  // What a tile computes stage `s` with: the assembled weights on the run's datapath.
  const models::RowKernel& kernel(uint32_t s) const;
  // The output of the stage's main source (the previous stage in a chain).
  std::span<const float> stage_input(uint32_t image, uint32_t s) const {
    return acts_[image][plan_.stages[s].sources[0] + 1];
  }
  std::span<float> stage_raw(uint32_t image, uint32_t s) { return raw_[image][s]; }
  // Every block-row of the stage is computed: the fused layers (channel-local, so each tile
  // could have applied them to its own channels) turn it into the stage's output; a fused add
  // reads its other operands from the outputs of its side sources.
  void finish_stage(uint32_t image, uint32_t s);
  // The share's outputs after the fused layers, its runs in order, into `out`: what its tile sends
  // (computed from the tile's own rows of stage_raw; the fused layers are channel-local).
  void share_outputs(uint32_t image, uint32_t s, const Share& sh, std::vector<float>& out);
  // The image's final outputs equal the reference model's; its activations are released.
  bool check_and_release(uint32_t image);
  // Accuracy of the reference (decoded) weights on the run's datapath (models::datapath_accuracy).
  double accuracy(const models::Dataset& data, Progress* progress = nullptr) const;

 private:
  // The stage's outputs after its fused layers, from its raw outputs as computed so far (the
  // fused layers are channel-local, so a share's range depends only on its own rows).
  const std::vector<float>& fused_outputs(uint32_t image, uint32_t s);

  const LayerPlan& plan_;
  const models::Dataset& test_;
  models::Datapath datapath_;
  models::Model assembled_, reference_;
  // Off the default datapath: the reference on it, and each stage's assembled layer on it.
  std::unique_ptr<models::QuantizedModel> quant_reference_;
  std::vector<std::unique_ptr<models::QuantizedLayer>> quant_assembled_;
  std::vector<std::vector<float>> staging_;  // per stage: assembled weights
  // [image][0]: the input after the prefix; [image][k + 1]: stage k's output ([S]: the model's).
  std::vector<std::vector<std::vector<float>>> acts_;
  std::vector<std::vector<std::vector<float>>> raw_;   // [image][s]: before the fused layers
  std::vector<float> fused_, fused_scratch_, joined_;  // fused_outputs' working space
  std::vector<float> sparse_values_;                   // decode_share's, sparse coding
};

}  // namespace nocsim::pe
