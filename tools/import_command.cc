// `nocsim import model.onnx --out model.pb [--pd-block p] [--eval]`: an ONNX network (e.g.
// exported from PyTorch) becomes a nocsim model file. The work is models/onnx/; this file parses
// options and, with --eval, records nocsim's own test accuracy in the file.
#include <cstdio>
#include <iostream>

#include "configs/user_error.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "models/onnx/onnx_import.h"
#include "tools/command.h"
#include "tools/result_files.h"

namespace nocsim::tools {
namespace {

class ImportCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_option("model", in_path_,
                   "the ONNX file (Fashion-MNIST input: N x 1 x 28 x 28 or N x 784)");
    app.add_option("--out", out_path_, "the model file to write");
    app.add_option("--pd-block", pd_block_text_,
                   "project the fully-connected layers that are not permuted-diagonal onto P x P "
                   "blocks (largest-energy diagonal per block)");
    app.add_flag("--eval", eval_,
                 "score all 10,000 test images and store the accuracy in the training record");
    app.add_option("--data", data_dir_, "Fashion-MNIST folder for --eval");
    app.footer(std::string("BatchNormalization folds into the layer before; a final Softmax is "
                           "dropped (nocsim scores the logits); layers whose weights already are "
                           "permuted-diagonal become PD layers. Supported ops: ") +
               models::kSupportedOnnxOps + ".");
  }

  int run(std::ostream& out) override {
    const std::string& in_path = in_path_;
    const std::string& out_path = out_path_;
    models::OnnxImportOptions options;
    if (!pd_block_text_.empty()) {
      const std::string& v = pd_block_text_;
      size_t used = 0;
      try {
        options.pd_block = std::stoi(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size()) throw UserError("--pd-block", "not an integer: '" + v + "'");
    }
    if (in_path.empty()) throw UserError("MODEL.onnx", "missing; see `nocsim import --help`");
    if (out_path.empty()) throw UserError("--out", "missing (the model file to write)");
    config::ModelFile spec = models::import_onnx_file(in_path, options);
    // The record says how to remake the file: the training command the ONNX file carries (if
    // any), then this import.
    std::string command = "nocsim import " + in_path + " --out " + out_path;
    if (options.pd_block > 0) command += " --pd-block " + std::to_string(options.pd_block);
    if (eval_) command += " --eval";
    config::TrainingRecord& rec = *spec.mutable_training();
    rec.set_command(rec.command() + "; " + command);
    models::Model model = models::Model::from_spec(spec, 0, in_path);
    if (eval_) {
      const models::Dataset test =
          models::load_fashion_mnist(data_dir_, models::Split::kTest, "--data");
      const double accuracy = model.accuracy(test);
      model.training().set_test_accuracy(accuracy);
      if (model.training().dataset().empty()) model.training().set_dataset("fashion-mnist");
      char line[120];
      std::snprintf(line, sizeof line, "test accuracy %.2f%% on %d images\n", 100 * accuracy,
                    test.count);
      out << line;
    }
    write_file_atomic(out_path, models::serialize_model(model));
    for (int i = 0; i < model.num_layers(); ++i) {
      const models::Layer& l = model.layer(i);
      out << "  " << l.kind() << " " << l.name();
      if (l.block_size() > 1) out << " p=" << l.block_size();
      if (l.num_weights() > 0) out << " weights=" << l.num_weights();
      out << "\n";
    }
    out << "wrote " << out_path << ": " << model.num_layers() << " layers, "
        << model.num_parameters() << " parameters\n";
    return 0;
  }

 private:
  std::string in_path_, out_path_, pd_block_text_, data_dir_;
  bool eval_ = false;
};

NOCSIM_REGISTER(command_registry(), ImportCommand, "import",
                "convert an ONNX network (from PyTorch etc.) to a nocsim model file");

}  // namespace
}  // namespace nocsim::tools
