// `nocsim eval`: test accuracy of a model file on all 10,000 Fashion-MNIST test images, or the
// per-layer shapes of a model file or zoo catalog. With --codec, every layer's weights make the
// round trip through the codec first (biases stay fp32) and the accuracy is that of the decoded
// weights, next to the original's: the cost (bits/weight, headers included) and benefit table of
// compression/README.md comes from here.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "compression/codec_chain.h"
#include "compression/codec_report.h"
#include "compression/codec_spec.h"
#include "configs/user_error.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "tools/command.h"

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
    // Built before the slow part so that a bad spec fails at once.
    std::unique_ptr<compression::CodecChain> codec;
    if (!codec_spec.empty()) {
      codec =
          compression::make_codec(compression::parse_codec_spec(codec_spec, "--codec"), "--codec");
    }

    models::Model model = models::load_model(mc.file());
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
    if (codec) eval_codec(*codec, chunk_rows, model, test, accuracy, out);
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

  static void eval_codec(const compression::CodecChain& codec, int64_t chunk_rows,
                         models::Model& model, const models::Dataset& test, double baseline,
                         std::ostream& out) {
    std::vector<int> with_weights;
    std::vector<std::vector<float>> weights;
    std::vector<std::vector<size_t>> bounds;
    for (int i = 0; i < model.num_layers(); ++i) {
      const models::Layer& l = model.layer(i);
      const auto w = l.weights();
      if (w.empty()) continue;
      with_weights.push_back(i);
      weights.emplace_back(w.begin(), w.end());
      // Block-rows are contiguous and equal in size, so a PE share is a multiple of one.
      const size_t rows = static_cast<size_t>(std::max(1, l.num_block_rows()));
      if (chunk_rows > 0 && w.size() % rows == 0) {
        bounds.push_back(compression::even_bounds(w.size(), chunk_rows * (w.size() / rows)));
      } else {
        bounds.emplace_back();
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    const compression::RoundTrip rt = compression::round_trip(codec, weights, bounds);
    const double codec_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (size_t k = 0; k < with_weights.size(); ++k) {
      model.layer(with_weights[k]).set_weights(rt.decoded[k]);
    }
    const double accuracy = model.accuracy(test);
    const compression::CodecReport& r = rt.report;
    char line[400];
    out << "codec " << codec.spec() << (codec.lossless() ? " (lossless)" : "") << "\n";
    for (size_t k = 0; k < with_weights.size(); ++k) {
      const auto& lr = r.layers[k];
      std::snprintf(line, sizeof line,
                    "  layer %-12s %9zu weights  %8.4f bits/weight  header %6llu bits  rmse %.3e  "
                    "max %.3e\n",
                    model.layer(with_weights[k]).name().c_str(), lr.weights, lr.bits_per_weight,
                    static_cast<unsigned long long>(lr.header_bits), lr.rmse, lr.max_abs_error);
      out << line;
    }
    std::snprintf(line, sizeof line,
                  "bits/weight %.4f (headers included: %llu header + %llu chunk bits over %zu "
                  "weights), rmse %.4e, max |error| %.4e, codec round trip %.3f s\n",
                  r.bits_per_weight, static_cast<unsigned long long>(r.header_bits),
                  static_cast<unsigned long long>(r.chunk_bits), r.weights, r.rmse, r.max_abs_error,
                  codec_seconds);
    out << line;
    std::snprintf(line, sizeof line,
                  "accuracy with decoded weights %.2f%% (original %.2f%%, change %+.2f points)\n",
                  100 * accuracy, 100 * baseline, 100 * (accuracy - baseline));
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
