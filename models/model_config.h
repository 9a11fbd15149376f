#pragma once
// The one entry point that turns a ModelConfig (configs/schema/model.proto) into a model spec:
// a model file, or a zoo architecture in the form the config asks for (dense, permuted-diagonal
// at model.block_size, pruned at model.density), optionally with seeded random weights.
#include "configs/schema/model.pb.h"
#include "configs/schema/model_file.pb.h"

namespace nocsim::models {

// ModelConfig.file (read_model_file) or ModelConfig.zoo (build_architecture). UserErrors name the
// field: "model.file", "model.zoo", "model.block_size" (< 2, with density, with a file, or a zoo
// model without fully-connected layers to make permuted-diagonal), "model.density" (outside
// (0, 1], with a file, or nothing to prune), "model.random_weights" (with a file).
config::ModelFile load_model_spec(const config::ModelConfig& config);

}  // namespace nocsim::models
