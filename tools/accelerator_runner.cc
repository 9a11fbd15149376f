// The "run" scenario runner: one accelerator co-simulation (pe::run_accelerator) of the model and
// codec a scenario names, as `nocsim run` and `nocsim sweep` do it. Sweeps call it from several
// threads, so loaded model files, data sets and baseline accuracies are cached behind a mutex and
// shared read-only.
#include "tools/accelerator_runner.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "configs/user_error.h"
#include "models/dataset.h"
#include "models/model.h"
#include "models/model_file.h"
#include "pe/accelerator.h"
#include "tools/content_hash.h"
#include "tools/scenario_runner.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

struct CachedModel {
  config::ModelFile spec;
  std::string name;
  bool functional = false;
  std::once_flag baseline_once;
  double baseline = 0;
};

struct CachedDataset {
  std::once_flag once;
  models::Dataset data;
};

class Cache {
 public:
  std::shared_ptr<CachedModel> model(const std::string& key, const config::ModelConfig& cfg,
                                     const std::string& file) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = models_[key];
    if (!slot) {
      auto m = std::make_shared<CachedModel>();
      if (!file.empty()) {
        m->spec = models::read_model_file(file);
        m->name = fs::path(file).stem().string();
      } else {
        m->spec = models::load_model_spec(cfg);
        m->name = cfg.zoo();
      }
      m->functional = pe::has_parameters(m->spec);
      slot = std::move(m);
    }
    return slot;
  }

  std::shared_ptr<CachedDataset> dataset(const std::string& dir) {
    std::shared_ptr<CachedDataset> d;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& slot = datasets_[dir];
      if (!slot) slot = std::make_shared<CachedDataset>();
      d = slot;
    }
    std::call_once(d->once,
                   [&] { d->data = models::load_fashion_mnist(dir, models::Split::kTest); });
    return d;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<CachedModel>> models_;
  std::map<std::string, std::shared_ptr<CachedDataset>> datasets_;
};

Cache& cache() {
  static Cache c;
  return c;
}

// The test split's two files (named as models::load_fashion_mnist opens them) in the provenance.
void record_dataset(const std::string& dir_in, config::RunResult& result) {
  const fs::path dir = dir_in.empty() ? models::kDefaultDatasetDir : dir_in;
  for (const char* name : {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
    config::InputFile* in = result.mutable_provenance()->add_inputs();
    in->set_role("dataset");
    in->set_path((dir / name).string());
    in->set_sha256(file_sha256(in->path()));
  }
}

}  // namespace

config::RunResult run_accelerator_scenario(const LoadedScenario& loaded, noc::TraceRecorder* trace,
                                           Progress* progress) {
  const config::Scenario& sc = loaded.scenario;
  config::RunResult result = result_for(loaded);
  try {
    const config::ModelConfig& mc = sc.model();
    require(mc.file().empty() != mc.zoo().empty(), "model",
            "name exactly one of model.file (a trained model) or model.zoo (a catalog)");
    const std::string& file = mc.file();  // already found by load_scenario
    // A zoo model's form (block size, density, random weights and their seed) is part of its key.
    const std::string key = file.empty() ? "zoo:" + mc.ShortDebugString() : "file:" + file;
    std::shared_ptr<CachedModel> model = cache().model(key, mc, file);

    pe::RunInputs in;
    in.scenario = &sc;
    in.model = &model->spec;
    in.model_name = model->name;
    in.progress = progress;
    in.trace = trace;
    std::shared_ptr<CachedDataset> data;
    models::Dataset synthetic;
    if (model->spec.has_random_weights_seed()) {
      // Random weights of the right structure (timing and traffic, no accuracy): seeded
      // synthetic post-ReLU inputs of the model's input size.
      const config::ModelFile& m = model->spec;
      synthetic = models::synthetic_relu_inputs(
          static_cast<int>(sc.accelerator().has_images() ? sc.accelerator().images() : 1),
          m.input_channels() * m.input_height() * m.input_width(), sc.sim().seed());
      in.test = &synthetic;
      in.measure_accuracy = false;
    } else if (model->functional) {
      data = cache().dataset(mc.dataset_dir());
      in.test = &data->data;
      record_dataset(mc.dataset_dir(), result);
      // The whole test set's baseline, shared by every point of a sweep. A run on its first
      // accelerator.accuracy_images images scores its baseline on those (pe::run_accelerator),
      // so the full pass would be wasted there.
      if (!sc.accelerator().has_accuracy_images()) {
        std::call_once(model->baseline_once, [&] {
          const models::Model original =
              models::Model::from_spec(model->spec, sc.sim().seed(), "model");
          model->baseline = original.accuracy(data->data, progress, "baseline accuracy");
        });
        in.baseline_accuracy = model->baseline;
      }
    }
    *result.mutable_accelerator() = pe::run_accelerator(in);
  } catch (const UserError& e) {
    throw loaded.locate(e);
  }
  return result;
}

namespace {

class AcceleratorRunner : public ScenarioRunner {
 public:
  config::RunResult run(const LoadedScenario& scenario) override {
    return run_accelerator_scenario(scenario, nullptr, nullptr);
  }
  config::RunResult run_with_progress(const LoadedScenario& scenario, Progress& progress) override {
    return run_accelerator_scenario(scenario, nullptr, &progress);
  }
};

NOCSIM_REGISTER(runner_registry(), AcceleratorRunner, "run",
                "one accelerator inference: model + codec over the NoC (nocsim run)");

}  // namespace
}  // namespace nocsim::tools
