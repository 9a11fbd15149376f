// `nocsim train`: trains a model on Fashion-MNIST and writes a model file (atomically).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include "configs/user_error.h"
#include "models/architecture.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "models/pruning.h"
#include "models/trainer.h"
#include "tools/command.h"
#include "tools/progress_line.h"
#include "tools/result_files.h"

namespace nocsim::tools {
namespace {

std::vector<int> parse_int_list(const std::string& option, const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      const int v = std::stoi(item, &used);
      if (used != item.size()) throw std::invalid_argument(item);
      out.push_back(v);
    } catch (const std::exception&) {
      throw UserError(option, "expected a comma-separated list of integers, got '" + text + "'");
    }
  }
  if (out.empty()) throw UserError(option, "expected a comma-separated list of integers");
  return out;
}

double parse_number(const std::string& option, const std::string& text) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw UserError(option, "expected a number, got '" + text + "'");
}

class TrainCommand : public Command {
 public:
  void define(CLI::App& app) override {
    const std::vector<std::pair<const char*, const char*>> options = {
        {"--arch", "mlp|pd_mlp|cnn|lenet5|resnet8|resnet14 (default pd_mlp)"},
        {"--out", "model file to write (required)"},
        {"--init", "start from this model file's weights (.pb or .onnx), e.g. a projection"},
        {"--hidden", "hidden fully-connected widths, e.g. 300,100"},
        {"--p", "permuted-diagonal block size per FC layer: 4 or 4,4,2 (pd_mlp, cnn)"},
        {"--conv", "conv channels (cnn), e.g. 16,32; resnet: w or three stage widths"},
        {"--kernel", "conv kernel size (default 5)"},
        {"--conv-p", "PD block size of conv layers (PD conv if > 1)"},
        {"--epochs", "training epochs (default 10)"},
        {"--batch", "batch size (default 64)"},
        {"--lr", "learning rate (default 0.001)"},
        {"--optimizer", "adam|sgd"},
        {"--momentum", "SGD momentum (default 0.9)"},
        {"--schedule", "cosine|constant learning-rate schedule"},
        {"--seed", "seed (default 1)"},
        {"--threads", "threads for the GEMMs (default 1)"},
        {"--data", "Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist)"},
        {"--train-subset", "train on the first N images only"},
        {"--max-steps", "stop after N optimizer steps"},
        {"--name", "model name stored in the file"},
        {"--prune-density",
         "after training, magnitude-prune every dense/conv2d layer to this fraction of its weights "
         "(per layer, Han et al. 2015), fine-tuning after each round"},
        {"--prune-rounds", "pruning rounds; round r prunes to density^(r/rounds) (default 4)"},
        {"--prune-epochs", "fine-tuning epochs after each pruning round (default 2)"},
        {"--prune-lr", "fine-tuning learning rate (default: --lr)"}};
    // Values are checked in run(), in the order given, by the parsers that name the option.
    for (const auto& [flag, help] : options)
      app.add_option_function<std::string>(
             flag,
             [this, f = std::string(flag)](const std::string& v) { given_.emplace_back(f, v); },
             help)
          ->trigger_on_parse()  // each occurrence, in command-line order; the last one wins
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }

  int run(std::ostream& out) override {
    std::string arch = "pd_mlp", out_path, data_dir, name, init_path, arch_option;
    models::ArchitectureOptions arch_opts;
    models::TrainOptions opts;
    int subset = 0;
    bool p_given = false;
    models::PruneOptions prune_opts;
    bool prune = false;
    std::optional<float> prune_lr;
    for (const auto& option : given_) {
      // A named reference, not a structured binding: clang 14 cannot capture bindings.
      const auto& a = option.first;
      const std::string& v = option.second;
      auto value = [&v]() -> const std::string& { return v; };
      if (arch_option.empty() && (a == "--arch" || a == "--hidden" || a == "--p" || a == "--conv" ||
                                  a == "--kernel" || a == "--conv-p"))
        arch_option = a;  // the first one given is named if --init is given too
      if (a == "--arch")
        arch = value();
      else if (a == "--init")
        init_path = value();
      else if (a == "--out")
        out_path = value();
      else if (a == "--data")
        data_dir = value();
      else if (a == "--name")
        name = value();
      else if (a == "--hidden")
        arch_opts.hidden = parse_int_list(a, value());
      else if (a == "--p")
        arch_opts.block_sizes = parse_int_list(a, value()), p_given = true;
      else if (a == "--conv")
        arch_opts.conv_channels = parse_int_list(a, value());
      else if (a == "--kernel")
        arch_opts.conv_kernel = static_cast<int>(parse_number(a, value()));
      else if (a == "--conv-p")
        arch_opts.conv_block_size = static_cast<int>(parse_number(a, value()));
      else if (a == "--epochs")
        opts.epochs = static_cast<int>(parse_number(a, value()));
      else if (a == "--batch")
        opts.batch_size = static_cast<int>(parse_number(a, value()));
      else if (a == "--lr")
        opts.learning_rate = static_cast<float>(parse_number(a, value()));
      else if (a == "--momentum")
        opts.momentum = static_cast<float>(parse_number(a, value()));
      else if (a == "--optimizer")
        opts.optimizer = value();
      else if (a == "--schedule") {
        const std::string s = value();
        if (s != "cosine" && s != "constant")
          throw UserError(a, "unknown schedule '" + s + "'; valid: cosine, constant");
        opts.cosine_schedule = s == "cosine";
      } else if (a == "--seed")
        opts.seed = static_cast<uint64_t>(parse_number(a, value()));
      else if (a == "--threads")
        opts.threads = static_cast<int>(parse_number(a, value()));
      else if (a == "--train-subset")
        subset = static_cast<int>(parse_number(a, value()));
      else if (a == "--max-steps")
        opts.max_steps = static_cast<int>(parse_number(a, value()));
      else if (a == "--prune-density")
        prune_opts.density = parse_number(a, value()), prune = true;
      else if (a == "--prune-rounds")
        prune_opts.rounds = static_cast<int>(parse_number(a, value()));
      else if (a == "--prune-epochs")
        prune_opts.epochs = static_cast<int>(parse_number(a, value()));
      else if (a == "--prune-lr")
        prune_lr = static_cast<float>(parse_number(a, value()));
      else
        throw UserError(a, "unknown option; see `nocsim train --help`");
    }
    if (out_path.empty()) throw UserError("--out", "missing: where to write the model file");
    for (const char* flag : {"--prune-rounds", "--prune-epochs", "--prune-lr"})
      for (const auto& option : given_)
        if (option.first == flag && !prune)
          throw UserError(flag, "needs --prune-density (the fraction of weights to keep)");
    if (!p_given && arch == "pd_mlp") arch_opts.block_sizes = {4};
    if (!p_given && arch == "cnn") arch_opts.block_sizes = {4};

    // --init: the file gives the layers and their starting weights (a dense model projected to
    // PD by `nocsim import --pd-block`, say), so architecture options would contradict it.
    if (!init_path.empty() && !arch_option.empty())
      throw UserError(arch_option,
                      "not with --init: the model file " + init_path + " gives the architecture");
    models::Model model;
    if (init_path.empty()) {
      config::ModelFile spec = models::build_architecture(arch, arch_opts, "--arch");
      if (!name.empty()) spec.set_name(name);
      model = models::Model::from_spec(spec, opts.seed, "--arch " + arch);
    } else {
      config::ModelFile spec = models::read_model_file(init_path);
      if (!name.empty()) spec.set_name(name);
      model = models::model_from_file(spec, init_path);
      arch = model.architecture();
    }
    if (prune) models::check_pruning(model, prune_opts);
    models::Dataset train = models::load_fashion_mnist(data_dir, models::Split::kTrain, "--data");
    const models::Dataset test =
        models::load_fashion_mnist(data_dir, models::Split::kTest, "--data");
    if (subset > 0) train = train.head(subset);

    out << "training " << arch << (init_path.empty() ? "" : " from " + init_path) << " ("
        << model.num_parameters() << " parameters, " << model.macs() << " MACs/image) on "
        << train.count << " images, " << opts.epochs << " epochs, " << opts.optimizer << " lr "
        << opts.learning_rate << ", batch " << opts.batch_size << ", seed " << opts.seed << ", "
        << opts.threads << " thread(s)\n";
    // Batches and the final accuracy pass on stderr (not with -q); the epoch lines on `out`
    // start on a clean line.
    std::optional<ProgressLine> progress;
    if (verbosity() >= 0) progress.emplace(std::cerr, ::isatty(STDERR_FILENO) != 0, "train");
    opts.progress = progress ? &*progress : nullptr;
    opts.on_epoch = [&](const models::EpochReport& r) {
      if (progress) progress->clear();
      char line[200];
      std::snprintf(line, sizeof line,
                    "epoch %3d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.1f s\n", r.epoch,
                    opts.epochs, r.loss, 100 * r.train_accuracy, 100 * r.test_accuracy, r.seconds);
      out << line << std::flush;
    };
    models::TrainResult result = models::train(model, train, &test, opts);
    int epochs = opts.epochs;
    if (prune) {
      models::TrainOptions fine_tune = opts;
      if (prune_lr) fine_tune.learning_rate = *prune_lr;
      fine_tune.on_epoch = {};
      const models::TrainResult pruned = models::prune_and_fine_tune(
          model, train, &test, fine_tune, prune_opts, [&](const models::PruneRoundReport& r) {
            if (progress) progress->clear();
            char line[200];
            std::snprintf(
                line, sizeof line,
                "prune %2d/%d  density %.4f  non-zero weights %lld  test %.2f%%  %.1f s\n", r.round,
                prune_opts.rounds, r.density, static_cast<long long>(r.kept), 100 * r.test_accuracy,
                r.seconds);
            out << line << std::flush;
          });
      result.seconds += pruned.seconds;
      result.final_loss = pruned.final_loss;
      epochs += prune_opts.rounds * prune_opts.epochs;
    }
    const double accuracy = model.accuracy(test, opts.progress);
    progress.reset();

    std::string command = "nocsim train";
    for (const auto& [flag, value] : given_) command += " " + flag + " " + value;
    // A fine-tune is remade by remaking its starting point first: its command comes before.
    if (!init_path.empty() && !model.training().command().empty())
      command = model.training().command() + "; " + command;
    config::TrainingRecord& rec = model.training();
    rec.set_dataset("fashion-mnist");
    rec.set_epochs(epochs);  // with pruning: training plus every fine-tuning epoch
    rec.set_seed(opts.seed);
    rec.set_optimizer(opts.optimizer);
    rec.set_learning_rate(opts.learning_rate);
    rec.set_batch_size(opts.batch_size);
    rec.set_threads(opts.threads);
    rec.set_test_accuracy(accuracy);
    rec.set_train_seconds(result.seconds);
    rec.set_final_loss(static_cast<float>(result.final_loss));
    rec.set_command(command);
    write_file_atomic(out_path, models::serialize_model(model));
    char line[200];
    std::snprintf(line, sizeof line, "test accuracy %.2f%%  training time %.1f s  wrote %s\n",
                  100 * accuracy, result.seconds, out_path.c_str());
    out << line;
    return 0;
  }

 private:
  std::vector<std::pair<std::string, std::string>> given_;  // (option, value) in order
};

NOCSIM_REGISTER(command_registry(), TrainCommand, "train",
                "train a (permuted-diagonal) model on Fashion-MNIST, write a model file");

}  // namespace
}  // namespace nocsim::tools
