#pragma once
// Masks of pruned layers: which weights are kept (1) and which are held at exactly zero (0).
// Magnitude masks serve pruning with retraining (models/pruning.h); random masks give a zoo model
// the structure of a pruned one when no trained weights exist (ModelConfig.density).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nocsim {
class Rng;
}

namespace nocsim::models {

// One mask per model layer, indexed like Model::layer(i); an empty mask = every weight trainable.
using WeightMasks = std::vector<std::vector<uint8_t>>;

// The number of weights a layer of `n` keeps at `density`: round(density * n), at least 1.
int64_t kept_count(double density, int64_t n);
// The most non-zeros a layer of `n` weights at `density` may hold: ceil(density * n).
int64_t max_non_zeros(double density, int64_t n);
int64_t count_non_zeros(std::span<const float> w);

// Keeps exactly `keep` of `w`, the largest by magnitude (ties: the lower index), as a mask.
std::vector<uint8_t> magnitude_mask(std::span<const float> w, int64_t keep);
// Zeroes all but exactly kept_count(density, w.size()) weights, chosen uniformly at random
// (selection sampling: one pass, no extra memory, the same positions for the same RNG state).
void apply_random_mask(std::span<float> w, double density, Rng& rng);
// w[i] = 0 where mask[i] == 0.
void apply_mask(std::span<float> w, std::span<const uint8_t> mask);

// "0.25", "1e-09": a density for messages.
std::string number_text(double v);

}  // namespace nocsim::models
