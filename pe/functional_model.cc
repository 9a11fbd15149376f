#include "pe/functional_model.h"

#include <algorithm>
#include <limits>

namespace nocsim::pe {

FunctionalModel::FunctionalModel(const config::ModelFile& spec, uint64_t seed,
                                 const LayerPlan& plan, const models::Dataset& test,
                                 uint32_t images, models::Datapath datapath)
    : plan_(plan),
      test_(test),
      datapath_(datapath),
      assembled_(models::Model::from_spec(spec, seed, "model")),
      reference_(models::Model::from_spec(spec, seed, "model")),
      acts_(images),
      raw_(images) {}

void FunctionalModel::reset_assembled() {
  staging_.resize(plan_.stages.size());
  const bool quantized = !datapath_.is_default();
  // Weight scales come from the whole layer's decoded weights (the reference), so every tile
  // rounds its share like the reference does.
  if (quantized) quant_reference_ = std::make_unique<models::QuantizedModel>(reference_, datapath_);
  quant_assembled_.resize(plan_.stages.size());
  for (size_t s = 0; s < plan_.stages.size(); ++s) {
    const int l = plan_.stages[s].layer;
    staging_[s].assign(reference_.layer(l).weights().size(),
                       std::numeric_limits<float>::quiet_NaN());
    assembled_.layer(l).set_weights(staging_[s]);
    if (quantized) {
      quant_assembled_[s] =
          std::make_unique<models::QuantizedLayer>(assembled_.layer(l), datapath_);
      quant_assembled_[s]->set_weights(staging_[s], quant_reference_->weight_scale(l));
    }
  }
}

const models::RowKernel& FunctionalModel::kernel(uint32_t s) const {
  if (quant_assembled_.size() > s && quant_assembled_[s]) return *quant_assembled_[s];
  return assembled_.layer(plan_.stages[s].layer);
}

double FunctionalModel::accuracy(const models::Dataset& data, Progress* progress) const {
  return quant_reference_ ? quant_reference_->accuracy(data, progress)
                          : reference_.accuracy(data, progress);
}

void FunctionalModel::decode_share(uint32_t s, const Share& sh, const EncodedWeights& enc) {
  const Stage& st = plan_.stages[s];
  const bool sparse = !enc.positions.empty();
  for (size_t r = 0; r < sh.runs.size(); ++r) {
    const auto [b0, b1] = sh.runs[r];
    std::span<float> out(staging_[s].data() + b0 * st.weights_per_block_row,
                         static_cast<size_t>(b1 - b0) * st.weights_per_block_row);
    const int c = sh.chunks[r];
    if (!sparse) {
      enc.decoders[s]->decode(enc.layers[s].chunks[c], out);
      continue;
    }
    // Non-zeros only: they go back to the positions their indices name, the rest is zero.
    const size_t v0 = enc.value_bounds[s][c], v1 = enc.value_bounds[s][c + 1];
    sparse_values_.resize(v1 - v0);
    enc.decoders[s]->decode(enc.layers[s].chunks[c], sparse_values_);
    std::fill(out.begin(), out.end(), 0.0f);
    for (size_t k = v0; k < v1; ++k) staging_[s][enc.positions[s][k]] = sparse_values_[k - v0];
  }
  assembled_.layer(st.layer).set_weights(staging_[s]);
  if (quant_assembled_[s])
    quant_assembled_[s]->set_weights(staging_[s], quant_reference_->weight_scale(st.layer));
}

void FunctionalModel::load_input(uint32_t image) {
  const size_t S = plan_.stages.size();
  const float* px =
      test_.pixels.data() + static_cast<size_t>(image) * static_cast<size_t>(test_.features());
  std::vector<float> x(px, px + test_.features());
  for (int l : plan_.prefix) {
    std::vector<float> y(assembled_.layer(l).output_shape().size());
    assembled_.layer(l).forward_one(x, y);
    x.swap(y);
  }
  acts_[image].resize(S + 1);
  acts_[image][0] = std::move(x);
  raw_[image].resize(S);
  for (size_t s = 0; s < S; ++s)
    raw_[image][s].assign(assembled_.layer(plan_.stages[s].layer).output_shape().size(), 0.0f);
}

const std::vector<float>& FunctionalModel::fused_outputs(uint32_t image, uint32_t s) {
  fused_ = raw_[image][s];
  for (int l : plan_.stages[s].fused) {
    const models::Layer& layer = assembled_.layer(l);
    std::span<const float> in = fused_;
    if (layer.joins_inputs()) {
      // The operand this stage computed is the running value; the others are earlier stages'
      // outputs (complete: the tiles waited for them), in the add's own input order.
      joined_.clear();
      for (int p : assembled_.inputs(l)) {
        const std::vector<float>& v =
            plan_.stage_of[p] == static_cast<int>(s) ? fused_ : acts_[image][plan_.stage_of[p] + 1];
        joined_.insert(joined_.end(), v.begin(), v.end());
      }
      in = joined_;
    }
    fused_scratch_.assign(layer.output_shape().size(), 0.0f);
    models::forward_weightless(layer, datapath_, in, fused_scratch_);
    fused_.swap(fused_scratch_);
  }
  return fused_;
}

void FunctionalModel::finish_stage(uint32_t image, uint32_t s) {
  acts_[image][s + 1] = fused_outputs(image, s);
}

void FunctionalModel::share_outputs(uint32_t image, uint32_t s, const Share& sh,
                                    std::vector<float>& out) {
  const Stage& st = plan_.stages[s];
  const std::vector<float>& x = fused_outputs(image, s);
  out.clear();
  for (const auto& [b0, b1] : sh.runs)
    out.insert(out.end(), x.begin() + st.out_begin(b0), x.begin() + st.out_end(b1));
}

bool FunctionalModel::check_and_release(uint32_t image) {
  const float* px =
      test_.pixels.data() + static_cast<size_t>(image) * static_cast<size_t>(test_.features());
  const std::span<const float> x(px, test_.features());
  const std::vector<float> expect =
      quant_reference_ ? quant_reference_->forward_one(x) : reference_.forward_one(x);
  const bool ok = expect == acts_[image].back();
  acts_[image] = {};
  raw_[image] = {};
  return ok;
}

}  // namespace nocsim::pe
