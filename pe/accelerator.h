#pragma once
// One accelerator run: memory controllers stream each tile's share of every layer, encoded by the
// configured codec, over the NoC; PE tiles decode it, compute their block-rows of each layer at a
// fixed MAC rate (zero activations skipped) and send their outputs to the tiles of the next layer,
// or back to a memory controller after the last. Cycle-driven over noc::Network with event queues
// for DRAM, decoders and compute, fast-forwarding the network when it is idle.
//
// With real weights (a trained model file) the run is functional: tiles compute with the weights
// they decoded from the chunks that arrived, every simulated image's outputs are compared with
// Model::forward_one on the decoded weights, and accuracy is measured on the whole test set.
// Without weights (zoo catalogs) sizes come from the codec's nominal bits per weight and MACs from
// shapes.
//
// Thread safety: run_accelerator keeps all state local; concurrent calls on different inputs are
// safe (the inputs are only read).
#include <optional>
#include <string>

#include "configs/progress.h"
#include "configs/schema/model_file.pb.h"
#include "configs/schema/result.pb.h"
#include "configs/schema/scenario.pb.h"
#include "models/dataset.h"

namespace nocsim::noc {
class TraceRecorder;
}

namespace nocsim::pe {

struct RunInputs {
  const config::Scenario* scenario = nullptr;  // technology resolved (tools::resolve_tech)
  const config::ModelFile* model = nullptr;    // with parameters => functional run
  const models::Dataset* test = nullptr;       // required for a functional run
  // Accuracy of the unmodified model on `test`; measured when absent (callers cache it).
  std::optional<double> baseline_accuracy;
  std::string model_name;  // for the report ("" = the model file's name field)
  // Test-set accuracy of the decoded model (all images); tests that only need timing skip it.
  bool measure_accuracy = true;
  // Hears the simulation's progress (stage "simulation") and the accuracy pass's ("accuracy").
  Progress* progress = nullptr;
  // When set, receives every packet the accelerator injects (kinds: message_kind_names()).
  noc::TraceRecorder* trace = nullptr;
};

// True when every weight layer of `model` carries its parameters.
bool has_parameters(const config::ModelFile& model);

// Runs the scenario. UserError on the offending field for bad configuration.
config::AcceleratorResult run_accelerator(const RunInputs& in);

}  // namespace nocsim::pe
