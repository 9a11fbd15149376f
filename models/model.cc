#include "models/model.h"

#include <algorithm>

#include "configs/rng.h"
#include "configs/user_error.h"

namespace nocsim::models {

namespace {
std::string shape_text(TensorShape s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" +
         std::to_string(s.width);
}
// Inference batch: large enough for vectorised per-feature loops, small enough to stay in cache.
constexpr int kInferenceChunk = 256;
}  // namespace

Model Model::from_spec(const config::ModelFile& spec, uint64_t init_seed,
                       const std::string& where) {
  Model m;
  m.name_ = spec.name();
  m.architecture_ = spec.architecture();
  m.input_ = {spec.input_channels(), std::max(1, spec.input_height()),
              std::max(1, spec.input_width())};
  m.num_classes_ = spec.num_classes();
  m.training_ = spec.training();
  auto fail = [&](const std::string& field, const std::string& reason) {
    return UserError(where + ": " + field, reason);
  };
  if (spec.input_channels() < 1) throw fail("input_channels", "must be >= 1");
  if (spec.layers_size() == 0) throw fail("layers", "the model has no layers");
  Rng rng(init_seed);
  TensorShape shape = m.input_;
  for (int i = 0; i < spec.layers_size(); ++i) {
    const std::string field = "layers[" + std::to_string(i) + "]";
    config::LayerSpec ls = spec.layers(i);
    if (ls.in_channels() == 0) {  // the builder may leave the chain to us
      ls.set_in_channels(shape.channels);
      ls.set_in_height(shape.height);
      ls.set_in_width(shape.width);
    }
    try {
      auto layer = make_layer(ls, field);
      if (layer->input_shape() != shape)
        throw UserError(field + ".in_channels", "input " + shape_text(layer->input_shape()) +
                                                    " does not match the previous output " +
                                                    shape_text(shape));
      layer->allocate();
      const bool has_parameters =
          ls.weights_size() > 0 || ls.bias_size() > 0 || ls.offsets_size() > 0;
      if (has_parameters) {
        try {
          layer->load(ls);
        } catch (const UserError& e) {
          throw UserError(field + "." + e.field(), e.reason());
        }
      } else {
        Rng layer_rng = Rng::derive(init_seed, static_cast<uint64_t>(i));
        layer->initialize(layer_rng);
      }
      shape = layer->output_shape();
      m.layers_.push_back(std::move(layer));
    } catch (const UserError& e) {
      throw UserError(where + ": " + e.field(), e.reason());
    }
  }
  if (shape.size() != m.num_classes_)
    throw fail("num_classes", "is " + std::to_string(m.num_classes_) +
                                  " but the last layer outputs " + shape_text(shape));
  return m;
}

int64_t Model::num_parameters() const {
  int64_t n = 0;
  for (const auto& l : layers_) n += l->num_weights() + l->num_bias();
  return n;
}

int64_t Model::macs() const {
  int64_t n = 0;
  for (const auto& l : layers_) n += l->macs();
  return n;
}

void Model::forward(const Matrix& x, Matrix& logits) const {
  thread_local Matrix a, b;
  if (layers_.size() == 1) {
    layers_[0]->forward(x, logits);
    return;
  }
  layers_[0]->forward(x, a);
  for (size_t i = 1; i + 1 < layers_.size(); ++i) {
    layers_[i]->forward(a, b);
    std::swap(a, b);
  }
  layers_.back()->forward(a, logits);
}

void Model::forward_all(const Matrix& x, std::vector<Matrix>& acts) const {
  acts.resize(layers_.size() + 1);
  acts[0] = x;
  for (size_t i = 0; i < layers_.size(); ++i) layers_[i]->forward(acts[i], acts[i + 1]);
}

std::vector<float> Model::forward_one(std::span<const float> x, uint64_t* macs) const {
  std::vector<float> in(x.begin(), x.end()), out;
  uint64_t total = 0;
  for (const auto& l : layers_) {
    out.assign(l->output_shape().size(), 0.0f);
    total += l->forward_one(in, out);
    std::swap(in, out);
  }
  if (macs != nullptr) *macs = total;
  return in;
}

double Model::accuracy(const Dataset& data, Progress* progress, std::string_view stage) const {
  if (data.features() != input_.size())
    throw UserError("model", "the data set has " + std::to_string(data.features()) +
                                 " features per sample, the model expects " +
                                 std::to_string(input_.size()));
  Matrix x, logits;
  int64_t correct = 0;
  for (int b0 = 0; b0 < data.count; b0 += kInferenceChunk) {
    const int len = std::min(kInferenceChunk, data.count - b0);
    data.slice(b0, len, x);
    forward(x, logits);
    for (int b = 0; b < len; ++b) {
      Eigen::Index arg;
      logits.row(b).maxCoeff(&arg);
      correct += arg == data.labels[b0 + b];
    }
    const uint64_t done = static_cast<uint64_t>(b0 + len);
    if (progress != nullptr)
      progress->update(stage, done, static_cast<uint64_t>(data.count),
                       std::to_string(done) + "/" + std::to_string(data.count) + " images");
  }
  return data.count == 0 ? 0.0 : static_cast<double>(correct) / data.count;
}

config::ModelFile Model::to_spec(bool with_parameters) const {
  config::ModelFile f;
  f.set_format_version(1);
  f.set_name(name_);
  f.set_architecture(architecture_);
  f.set_input_channels(input_.channels);
  f.set_input_height(input_.height);
  f.set_input_width(input_.width);
  f.set_num_classes(num_classes_);
  for (const auto& l : layers_) *f.add_layers() = l->to_spec(with_parameters);
  *f.mutable_training() = training_;
  return f;
}

}  // namespace nocsim::models
