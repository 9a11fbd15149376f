#pragma once
// Minibatch training of a Model with softmax cross-entropy: SGD with momentum or Adam, cosine or
// constant learning rate. Only the layers' own parameters are trained, so permuted-diagonal layers
// keep their structure. Deterministic: same model, data, options and thread count => bit-identical
// weights (shuffling uses nocsim::Rng; every parallel split is fixed). Masked weights (pruning,
// models/pruning.h) are frozen.
#include <cstdint>
#include <functional>
#include <string>

#include "configs/progress.h"
#include "models/dataset.h"
#include "models/model.h"
#include "models/weight_mask.h"

namespace nocsim::models {

struct EpochReport {
  int epoch = 0;      // 1-based
  double loss = 0.0;  // mean training loss over the epoch
  double train_accuracy = 0.0;
  double test_accuracy = -1.0;  // when a test set was given
  double seconds = 0.0;         // wall time of the epoch (training only)
};

struct TrainOptions {
  int epochs = 10;
  int batch_size = 64;
  float learning_rate = 1e-3f;
  std::string optimizer = "adam";                       // adam | sgd
  float momentum = 0.9f;                                // sgd
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;  // adam
  bool cosine_schedule = true;  // learning rate decays to 0 over the run (per step)
  int max_steps = 0;            // > 0: stop after this many steps in total (tests)
  uint64_t seed = 1;
  int threads = 1;
  std::function<void(const EpochReport&)> on_epoch;
  Progress* progress = nullptr;  // hears every step (stage "training"); may be null
  // Pruned training: weights whose mask is 0 get neither a gradient nor an optimizer update, so
  // they stay exactly what they are (zero after pruning). One mask per layer, or null.
  const WeightMasks* masks = nullptr;
};

struct TrainResult {
  double final_loss = 0.0;
  double seconds = 0.0;
  std::vector<double> step_losses;  // loss of every step, in order
};

// Trains in place. Bad options are UserErrors naming the option ("train.batch_size").
TrainResult train(Model& model, const Dataset& train_set, const Dataset* test_set,
                  const TrainOptions& options);

}  // namespace nocsim::models
