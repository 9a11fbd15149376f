// `nocsim eval`: test accuracy of a model file on all 10,000 Fashion-MNIST test images, or the
// per-layer shapes of a model file or zoo catalog.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "configs/user_error.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "tools/command.h"

namespace nocsim::tools {
namespace {

class EvalCommand : public Command {
 public:
  std::string usage() const override {
    return "usage: nocsim eval --model FILE [--data DIR] [--layers]\n"
           "       nocsim eval --zoo lenet5|alexnet|vgg16|resnet50|mlp|pd_mlp|cnn   (shapes only)\n"
           "  prints test accuracy on all 10,000 test images, parameter count and time;\n"
           "  --layers adds a per-layer table (kind, shapes, p, weights, MACs).\n";
  }

  int run(const std::vector<std::string>& args, std::ostream& out) override {
    config::ModelConfig mc;
    bool layers = false;
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      auto value = [&]() -> const std::string& {
        if (i + 1 >= args.size()) throw UserError(a, "missing value");
        return args[++i];
      };
      if (a == "--model")
        mc.set_file(value());
      else if (a == "--zoo")
        mc.set_zoo(value());
      else if (a == "--data")
        mc.set_dataset_dir(value());
      else if (a == "--layers")
        layers = true;
      else
        throw UserError(a, "unknown option; see `nocsim eval --help`");
    }
    const config::ModelFile spec = models::load_model_spec(mc);
    if (layers || mc.file().empty()) print_layers(spec, out);
    if (mc.file().empty()) return 0;

    const models::Model model = models::load_model(mc.file());
    const models::Dataset test =
        models::load_fashion_mnist(mc.dataset_dir(), models::Split::kTest, "--data");
    const auto t0 = std::chrono::steady_clock::now();
    const double accuracy = model.accuracy(test);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char line[300];
    std::snprintf(line, sizeof line,
                  "model %s (%s): test accuracy %.2f%% on %d images, %lld parameters, %lld "
                  "MACs/image, %.3f s\n",
                  model.name().c_str(), model.architecture().c_str(), 100 * accuracy, test.count,
                  static_cast<long long>(model.num_parameters()),
                  static_cast<long long>(model.macs()), seconds);
    out << line;
    return 0;
  }

 private:
  static void print_layers(const config::ModelFile& spec, std::ostream& out) {
    int64_t weights = 0, macs = 0;
    out << "layer            kind       input          output          k  s  p  block  "
           "weights      MACs\n";
    for (const auto& l : models::describe_layers(spec)) {
      char line[300];
      std::snprintf(
          line, sizeof line, "%-16s %-10s %4dx%4dx%4d %4dx%4dx%4d %2d %2d %2d %5d %10lld %12lld\n",
          l.name.c_str(), l.kind.c_str(), l.input.channels, l.input.height, l.input.width,
          l.output.channels, l.output.height, l.output.width, l.kernel, l.stride, l.padding,
          l.block_size, static_cast<long long>(l.num_weights), static_cast<long long>(l.macs));
      out << line;
      weights += l.num_weights;
      macs += l.macs;
    }
    out << "total: " << weights << " weights, " << macs << " MACs per inference\n";
  }
};

NOCSIM_REGISTER(command_registry(), EvalCommand, "eval",
                "test accuracy of a model file, or layer shapes of a model / zoo catalog");

}  // namespace
}  // namespace nocsim::tools
