// `nocsim eval`: test accuracy of a model file on all 10,000 Fashion-MNIST test images, or the
// per-layer shapes of a model file or zoo catalog. With --codec, every layer's weights make the
// round trip through the codec first (biases stay fp32) and the accuracy is that of the decoded
// weights, next to the original's: the cost (bits/weight, headers included) and benefit table of
// compression/README.md comes from here.
#include <cstdio>
#include <iostream>

#include "compression/codec_report.h"
#include "configs/user_error.h"
#include "models/model_file.h"
#include "tools/command.h"
#include "tools/model_eval.h"

namespace nocsim::tools {
namespace {

class EvalCommand : public Command {
 public:
  std::string usage() const override {
    return "usage: nocsim eval --model FILE [--data DIR] [--layers] [--codec SPEC [--chunk-rows "
           "N]]\n"
           "       nocsim eval --zoo lenet5|alexnet|vgg16|resnet50|mlp|pd_mlp|cnn   (shapes only)\n"
           "  prints test accuracy on all 10,000 test images, parameter count and time;\n"
           "  --layers adds a per-layer table (kind, shapes, p, weights, MACs).\n"
           "  --codec SPEC round-trips every layer's weights through the codec (spec syntax in\n"
           "  compression/README.md, e.g. quant:bits=4 or kmeans:bits=4+huffman) and prints bits\n"
           "  per weight (headers included), RMSE, max |error| and the accuracy with the decoded\n"
           "  weights against the original; --chunk-rows N cuts each layer into chunks of N\n"
           "  block-rows (a PE share; default 0 = one chunk per layer).\n";
  }

  int run(const std::vector<std::string>& args, std::ostream& out) override {
    config::ModelConfig mc;
    bool layers = false;
    std::string codec_spec;
    int64_t chunk_rows = 0;
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
      else if (a == "--codec")
        codec_spec = value();
      else if (a == "--chunk-rows")
        chunk_rows = parse_count(a, value());
      else
        throw UserError(a, "unknown option; see `nocsim eval --help`");
    }
    if (!codec_spec.empty() && mc.file().empty()) {
      throw UserError("--codec", "needs --model FILE (a model with real weights)");
    }
    const config::ModelFile spec = models::load_model_spec(mc);
    if (layers || mc.file().empty()) print_layers(spec, out);
    if (mc.file().empty()) return 0;
    const ModelEval ev = evaluate_model(mc, codec_spec, chunk_rows);
    char line[300];
    std::snprintf(line, sizeof line,
                  "model %s (%s): test accuracy %.2f%% on %d images, %lld parameters, %lld "
                  "MACs/image, %.3f s\n",
                  ev.name.c_str(), ev.architecture.c_str(), 100 * ev.accuracy, ev.test_images,
                  static_cast<long long>(ev.parameters), static_cast<long long>(ev.macs),
                  ev.seconds);
    out << line;
    if (ev.codec) print_codec(*ev.codec, ev.accuracy, out);
    return 0;
  }

 private:
  static int64_t parse_count(const std::string& flag, const std::string& v) {
    size_t used = 0;
    long long n = -1;
    try {
      n = std::stoll(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != v.size() || n < 0) {
      throw UserError(flag, "'" + v + "' is not a count >= 0");
    }
    return n;
  }

  static void print_codec(const CodecEval& ev, double baseline, std::ostream& out) {
    const compression::CodecReport& r = ev.report;
    char line[400];
    out << "codec " << ev.spec << (ev.lossless ? " (lossless)" : "") << "\n";
    for (size_t k = 0; k < ev.layer_names.size(); ++k) {
      const auto& lr = r.layers[k];
      std::snprintf(line, sizeof line,
                    "  layer %-12s %9zu weights  %8.4f bits/weight  header %6llu bits  rmse %.3e  "
                    "max %.3e\n",
                    ev.layer_names[k].c_str(), lr.weights, lr.bits_per_weight,
                    static_cast<unsigned long long>(lr.header_bits), lr.rmse, lr.max_abs_error);
      out << line;
    }
    std::snprintf(line, sizeof line,
                  "bits/weight %.4f (headers included: %llu header + %llu chunk bits over %zu "
                  "weights), rmse %.4e, max |error| %.4e, codec round trip %.3f s\n",
                  r.bits_per_weight, static_cast<unsigned long long>(r.header_bits),
                  static_cast<unsigned long long>(r.chunk_bits), r.weights, r.rmse, r.max_abs_error,
                  ev.seconds);
    out << line;
    std::snprintf(line, sizeof line,
                  "accuracy with decoded weights %.2f%% (original %.2f%%, change %+.2f points)\n",
                  100 * ev.accuracy, 100 * baseline, 100 * (ev.accuracy - baseline));
    out << line;
  }

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
