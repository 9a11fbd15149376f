#include "models/pruning.h"

#include <cmath>

#include "configs/user_error.h"

namespace nocsim::models {

double round_density(double target, int round, int rounds) {
  if (round >= rounds) return target;
  return std::pow(target, static_cast<double>(round) / rounds);
}

bool is_prunable(const Layer& layer) {
  return layer.supports_density() && layer.num_weights() > 0;
}

WeightMasks prune_by_magnitude(Model& model, double density) {
  WeightMasks masks(model.num_layers());
  for (int i = 0; i < model.num_layers(); ++i) {
    Layer& l = model.layer(i);
    if (!is_prunable(l)) continue;
    const std::span<float> w = l.weights();
    masks[i] = magnitude_mask(w, kept_count(density, static_cast<int64_t>(w.size())));
    apply_mask(w, masks[i]);
    l.set_density(density);
  }
  return masks;
}

void check_pruning(const Model& model, const PruneOptions& prune) {
  require(prune.density > 0.0 && prune.density <= 1.0, "train.prune_density",
          "must be in (0, 1] (the fraction of weights kept), got " + number_text(prune.density));
  require(prune.rounds >= 1 && prune.rounds <= 100, "train.prune_rounds", "must be in [1, 100]");
  require(prune.epochs >= 1, "train.prune_epochs", "must be >= 1");
  bool any = false;
  for (int i = 0; i < model.num_layers(); ++i) any = any || is_prunable(model.layer(i));
  require(any, "train.prune_density",
          "model '" + model.name() +
              "' has no layer with unstructured weights to prune (dense, conv2d)");
}

TrainResult prune_and_fine_tune(Model& model, const Dataset& train_set, const Dataset* test_set,
                                TrainOptions fine_tune, const PruneOptions& prune,
                                const std::function<void(const PruneRoundReport&)>& on_round) {
  check_pruning(model, prune);
  const uint64_t seed = fine_tune.seed;
  TrainResult total;
  for (int round = 1; round <= prune.rounds; ++round) {
    PruneRoundReport report;
    report.round = round;
    report.density = round_density(prune.density, round, prune.rounds);
    const WeightMasks masks = prune_by_magnitude(model, report.density);
    fine_tune.epochs = prune.epochs;
    fine_tune.masks = &masks;
    // A fresh shuffle per round; the same for the same seed.
    fine_tune.seed = seed + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(round);
    TrainResult r = train(model, train_set, test_set, fine_tune);
    for (int i = 0; i < model.num_layers(); ++i)
      if (!masks[i].empty()) report.kept += count_non_zeros(model.layer(i).weights());
    report.seconds = r.seconds;
    if (test_set != nullptr) report.test_accuracy = model.accuracy(*test_set);
    total.seconds += r.seconds;
    total.final_loss = r.final_loss;
    total.step_losses.insert(total.step_losses.end(), r.step_losses.begin(), r.step_losses.end());
    if (on_round) on_round(report);
  }
  return total;
}

}  // namespace nocsim::models
