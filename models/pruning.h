#pragma once
// Magnitude pruning with retraining (Han et al., "Learning both Weights and Connections", 2015):
// prune the smallest weights of every prunable layer, fine-tune with the pruned weights frozen at
// zero, repeat towards the target density. Per layer, as in the paper: each layer keeps exactly
// its share (round(density * weights)), so a pruned model stores as many weights per layer as a
// permuted-diagonal one at p = 1 / density; a global threshold would instead strip the small
// last layers and leave no per-layer count to compare. Biases are never pruned.
#include <cstdint>
#include <functional>

#include "models/dataset.h"
#include "models/model.h"
#include "models/trainer.h"
#include "models/weight_mask.h"

namespace nocsim::models {

struct PruneOptions {
  double density = 0.25;  // fraction of weights kept in every prunable layer at the end
  int rounds = 4;         // prune steps; round r prunes to density^(r / rounds)
  int epochs = 2;         // fine-tuning epochs after each round
};

struct PruneRoundReport {
  int round = 0;                // 1-based
  double density = 1.0;         // reached in this round
  int64_t kept = 0;             // non-zero weights over the pruned layers
  double test_accuracy = -1.0;  // after fine-tuning, when a test set was given
  double seconds = 0.0;         // fine-tuning wall time
};

// The density of round `round` of `rounds`: target^(round / rounds), exactly target at the end
// (each round removes the same fraction of what is left).
double round_density(double target, int round, int rounds);

// Layers of `model` that pruning applies to: weights unstructured (Layer::supports_density).
bool is_prunable(const Layer& layer);

// Prunes every prunable layer to its kept_count(density, weights) largest-magnitude weights
// (ties: the lower index; already-pruned weights are zero and go first), zeroes the rest, records
// the layer's density and returns the masks (empty for the other layers).
WeightMasks prune_by_magnitude(Model& model, double density);

// UserErrors for options out of range ("train.prune_density" / "train.prune_rounds" /
// "train.prune_epochs") or a model without prunable layers: a caller checks before training.
void check_pruning(const Model& model, const PruneOptions& prune);

// Iterative pruning of a trained `model` in place: `prune.rounds` rounds of prune_by_magnitude
// then `prune.epochs` epochs of `fine_tune` (its epochs and masks replaced; its seed varied per
// round) with the pruned weights frozen. Deterministic like train(). Starts with check_pruning.
TrainResult prune_and_fine_tune(Model& model, const Dataset& train_set, const Dataset* test_set,
                                TrainOptions fine_tune, const PruneOptions& prune,
                                const std::function<void(const PruneRoundReport&)>& on_round = {});

}  // namespace nocsim::models
