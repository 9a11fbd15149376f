#include "models/trainer.h"

#include <Eigen/Core>

#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/loss.h"

namespace nocsim::models {

namespace {

// One parameter tensor with its gradient and optimizer state.
struct Slot {
  std::span<float> param, grad;
  std::vector<float> m, v;
  const uint8_t* keep = nullptr;  // pruned weights: 0 = frozen; null = all trained
};

}  // namespace

TrainResult train(Model& model, const Dataset& train_set, const Dataset* test_set,
                  const TrainOptions& o) {
  require(o.epochs >= 1, "train.epochs", "must be >= 1");
  require(o.batch_size >= 1 && o.batch_size <= 65536, "train.batch_size", "must be in [1, 65536]");
  require(o.learning_rate > 0 && std::isfinite(o.learning_rate), "train.learning_rate",
          "must be > 0");
  require(o.optimizer == "adam" || o.optimizer == "sgd", "train.optimizer",
          "unknown optimizer '" + o.optimizer + "'; valid names: adam, sgd");
  require(o.threads >= 1 && o.threads <= 256, "train.threads", "must be in [1, 256]");
  require(train_set.count > 0, "train.data", "the training set is empty");
  require(train_set.features() == model.input_shape().size(), "train.data",
          "images have " + std::to_string(train_set.features()) + " pixels, the model expects " +
              std::to_string(model.input_shape().size()));
  Eigen::setNbThreads(o.threads);
  if (o.masks != nullptr && static_cast<int>(o.masks->size()) != model.num_layers())
    throw std::invalid_argument("train: " + std::to_string(o.masks->size()) + " masks for " +
                                std::to_string(model.num_layers()) + " layers");

  std::vector<Slot> slots;
  for (int i = 0; i < model.num_layers(); ++i) {
    Layer& l = model.layer(i);
    const uint8_t* keep = nullptr;
    if (o.masks != nullptr && !(*o.masks)[i].empty()) {
      if ((*o.masks)[i].size() != l.weights().size())
        throw std::invalid_argument("train: the mask of layer '" + l.name() + "' has " +
                                    std::to_string((*o.masks)[i].size()) + " entries, the layer " +
                                    std::to_string(l.weights().size()) + " weights");
      keep = (*o.masks)[i].data();
    }
    if (!l.weights().empty()) slots.push_back({l.weights(), l.weight_gradients(), {}, {}, keep});
    if (!l.bias().empty()) slots.push_back({l.bias(), l.bias_gradients(), {}, {}, nullptr});
  }
  for (auto& s : slots) {
    s.m.assign(s.param.size(), 0.0f);
    if (o.optimizer == "adam") s.v.assign(s.param.size(), 0.0f);
  }

  Rng rng(o.seed);
  std::vector<int> order(train_set.count);
  std::iota(order.begin(), order.end(), 0);
  const int steps_per_epoch = (train_set.count + o.batch_size - 1) / o.batch_size;
  const int64_t total_steps =
      o.max_steps > 0 ? std::min<int64_t>(o.max_steps, int64_t{steps_per_epoch} * o.epochs)
                      : int64_t{steps_per_epoch} * o.epochs;
  TrainResult result;
  std::vector<Matrix> acts;
  Matrix x, dlogits;
  std::vector<uint8_t> labels;
  int64_t step = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= o.epochs && step < total_steps; ++epoch) {
    const auto epoch_start = std::chrono::steady_clock::now();
    for (int i = train_set.count - 1; i > 0; --i)
      std::swap(order[i], order[rng.below(static_cast<uint32_t>(i + 1))]);
    double loss_sum = 0.0;
    int64_t seen = 0, correct = 0;
    for (int b0 = 0; b0 < train_set.count && step < total_steps; b0 += o.batch_size, ++step) {
      const int len = std::min(o.batch_size, train_set.count - b0);
      std::span<const int> idx(order.data() + b0, len);
      train_set.gather(idx, x);
      labels.resize(len);
      for (int b = 0; b < len; ++b) labels[b] = train_set.labels[idx[b]];
      model.forward_all(x, acts);
      const Matrix& logits = acts.back();
      const double loss = softmax_cross_entropy(logits, labels, &dlogits);
      result.step_losses.push_back(loss);
      loss_sum += loss * len;
      seen += len;
      for (int b = 0; b < len; ++b) {
        Eigen::Index arg;
        logits.row(b).maxCoeff(&arg);
        correct += arg == labels[b];
      }
      model.backward(acts, dlogits);
      const double lr = o.cosine_schedule
                            ? o.learning_rate * 0.5 *
                                  (1.0 + std::cos(M_PI * static_cast<double>(step) / total_steps))
                            : o.learning_rate;
      // A frozen (pruned) weight's gradient never enters the optimizer state nor moves it.
      if (o.optimizer == "sgd") {
        for (auto& s : slots)
          for (size_t j = 0; j < s.param.size(); ++j) {
            if (s.keep != nullptr && s.keep[j] == 0) continue;
            s.m[j] = o.momentum * s.m[j] + s.grad[j];
            s.param[j] -= static_cast<float>(lr) * s.m[j];
          }
      } else {
        const double t = static_cast<double>(step + 1);
        const float c1 = static_cast<float>(lr / (1.0 - std::pow(o.beta1, t)));
        const float c2 = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(o.beta2, t)));
        for (auto& s : slots)
          for (size_t j = 0; j < s.param.size(); ++j) {
            if (s.keep != nullptr && s.keep[j] == 0) continue;
            const float g = s.grad[j];
            s.m[j] = o.beta1 * s.m[j] + (1.0f - o.beta1) * g;
            s.v[j] = o.beta2 * s.v[j] + (1.0f - o.beta2) * g * g;
            s.param[j] -= c1 * s.m[j] / (std::sqrt(s.v[j]) * c2 + o.epsilon);
          }
      }
      if (o.progress != nullptr)
        o.progress->update(
            "training", static_cast<uint64_t>(step + 1), static_cast<uint64_t>(total_steps),
            "epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs) + ", batch " +
                std::to_string(b0 / o.batch_size + 1) + "/" + std::to_string(steps_per_epoch));
    }
    EpochReport r;
    r.epoch = epoch;
    r.loss = seen > 0 ? loss_sum / seen : 0.0;
    r.train_accuracy = seen > 0 ? static_cast<double>(correct) / seen : 0.0;
    r.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    result.final_loss = r.loss;
    if (test_set != nullptr) r.test_accuracy = model.accuracy(*test_set);
    if (o.on_epoch) o.on_epoch(r);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace nocsim::models
