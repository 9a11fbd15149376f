// `nocsim import model.onnx --out model.pb [--pd-block p]`: an ONNX network (e.g. exported from
// PyTorch) becomes a nocsim model file. The work is models/onnx/; this file only parses options.
#include <iostream>

#include "configs/user_error.h"
#include "models/model_file.h"
#include "models/onnx/onnx_import.h"
#include "tools/command.h"
#include "tools/result_files.h"

namespace nocsim::tools {
namespace {

class ImportCommand : public Command {
 public:
  std::string usage() const override {
    return std::string(
               "usage: nocsim import MODEL.onnx --out MODEL.pb [--pd-block P]\n"
               "  converts an ONNX network on Fashion-MNIST input (N x 1 x 28 x 28 or N x 784) to "
               "a\n"
               "  nocsim model file. BatchNormalization folds into the layer before; a final "
               "Softmax\n"
               "  is dropped (nocsim scores the logits); layers whose weights already are\n"
               "  permuted-diagonal become PD layers. --pd-block P projects the other "
               "fully-connected\n"
               "  layers onto P x P permuted-diagonal blocks (largest-energy diagonal per "
               "block).\n"
               "  Supported ops: ") +
           models::kSupportedOnnxOps + ".\n";
  }

  int run(const std::vector<std::string>& args, std::ostream& out) override {
    std::string in_path, out_path;
    models::OnnxImportOptions options;
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      auto value = [&]() -> const std::string& {
        if (i + 1 >= args.size()) throw UserError(a, "missing value");
        return args[++i];
      };
      if (a == "--out") {
        out_path = value();
      } else if (a == "--pd-block") {
        const std::string& v = value();
        size_t used = 0;
        try {
          options.pd_block = std::stoi(v, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != v.size() || v.empty()) throw UserError(a, "not an integer: '" + v + "'");
      } else if (!a.empty() && a[0] == '-') {
        throw UserError(a, "unknown option; see `nocsim import --help`");
      } else if (in_path.empty()) {
        in_path = a;
      } else {
        throw UserError(a, "only one ONNX file");
      }
    }
    if (in_path.empty()) throw UserError("MODEL.onnx", "missing; see `nocsim import --help`");
    if (out_path.empty()) throw UserError("--out", "missing (the model file to write)");
    const config::ModelFile spec = models::import_onnx_file(in_path, options);
    const models::Model model = models::Model::from_spec(spec, 0, in_path);
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
};

NOCSIM_REGISTER(command_registry(), ImportCommand, "import",
                "convert an ONNX network (from PyTorch etc.) to a nocsim model file");

}  // namespace
}  // namespace nocsim::tools
