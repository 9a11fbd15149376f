#include "models/model.h"

#include <algorithm>

#include "configs/rng.h"
#include "configs/user_error.h"

namespace nocsim::models {

namespace {
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
  GraphShapes shapes(spec, where);
  m.graph_ = shapes.graph();
  for (int i = 0; i < spec.layers_size(); ++i) {
    const std::string field = "layers[" + std::to_string(i) + "]";
    const TensorShape shape = shapes.input(i);
    const config::LayerSpec ls = shapes.with_input(i, spec.layers(i));
    try {
      auto layer = make_layer(ls, field);
      shapes.check_arity(i, *layer);
      if (layer->input_shape() != shape)
        throw UserError(field + ".in_channels",
                        "input " + shape_text(layer->input_shape()) + " does not match " +
                            (m.graph_.inputs[i].size() > 1 ? "its inputs' " : "the previous ") +
                            "output " + shape_text(shape));
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
      shapes.set_output(i, layer->output_shape());
      m.layers_.push_back(std::move(layer));
    } catch (const UserError& e) {
      if (e.field().rfind(where + ": ", 0) == 0) throw;
      throw UserError(where + ": " + e.field(), e.reason());
    }
  }
  const TensorShape shape = m.layers_.back()->output_shape();
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
  if (!graph_.chain) {
    thread_local std::vector<Matrix> acts;
    forward_all(x, acts);
    logits = std::move(acts.back());
    return;
  }
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
  Matrix joined;
  auto out = [&](int j) -> const Matrix& { return acts[j + 1]; };
  for (size_t i = 0; i < layers_.size(); ++i)
    layers_[i]->forward(input_of(static_cast<int>(i), out, joined), acts[i + 1]);
}

void Model::backward(const std::vector<Matrix>& acts, const Matrix& dlogits) {
  const int n = num_layers();
  // grads[i] = dL/d(output of layer i), complete once every consumer (all later) is done.
  std::vector<Matrix> grads(n);
  std::vector<uint8_t> has_grad(n, 0);
  grads[n - 1] = dlogits;
  Matrix dx, joined;
  auto out = [&](int j) -> const Matrix& { return acts[j + 1]; };
  for (int i = n - 1; i >= 0; --i) {
    Layer& l = *layers_[i];
    const std::vector<int>& in = graph_.inputs[i];
    const bool needs_dx = std::any_of(in.begin(), in.end(), [](int p) { return p >= 0; });
    l.zero_gradients();
    l.backward(input_of(i, out, joined), acts[i + 1], grads[i], needs_dx ? &dx : nullptr);
    grads[i] = Matrix();
    if (!needs_dx) continue;
    const Eigen::Index width = dx.cols() / static_cast<Eigen::Index>(in.size());
    for (size_t j = 0; j < in.size(); ++j) {
      const int p = in[j];
      if (p < 0) continue;
      if (in.size() == 1 && !has_grad[p]) {
        std::swap(grads[p], dx);  // a chain: the gradient moves on unchanged
      } else if (!has_grad[p]) {
        grads[p] = dx.middleCols(static_cast<Eigen::Index>(j) * width, width);
      } else {
        grads[p] += dx.middleCols(static_cast<Eigen::Index>(j) * width, width);
      }
      has_grad[p] = 1;
    }
  }
}

std::vector<float> Model::forward_one(std::span<const float> x, uint64_t* macs) const {
  return run_one(
      x,
      [&](int i, std::span<const float> in, std::span<float> y) {
        return layers_[i]->forward_one(in, y);
      },
      macs);
}

std::span<const float> Model::sample_input(int i, std::span<const float> x,
                                           const std::vector<std::vector<float>>& outputs,
                                           std::vector<float>& joined) const {
  const std::vector<int>& in = graph_.inputs[i];
  auto out = [&](int p) { return p < 0 ? x : std::span<const float>(outputs[p]); };
  if (in.size() == 1) return out(in[0]);
  joined.clear();
  for (int p : in) joined.insert(joined.end(), out(p).begin(), out(p).end());
  return joined;
}

std::vector<float> Model::run_one(std::span<const float> x, const LayerRun& run,
                                  uint64_t* macs) const {
  const int n = num_layers();
  std::vector<std::vector<float>> outputs(n);
  std::vector<float> joined;
  uint64_t total = 0;
  for (int i = 0; i < n; ++i) {
    outputs[i].assign(layers_[i]->output_shape().size(), 0.0f);
    total += run(i, sample_input(i, x, outputs, joined), outputs[i]);
    // Outputs nobody reads any more are released (a chain keeps two).
    for (int p : graph_.inputs[i])
      if (p >= 0 && graph_.consumers[p].back() == i) outputs[p] = {};
  }
  if (macs != nullptr) *macs = total;
  return std::move(outputs[n - 1]);
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
