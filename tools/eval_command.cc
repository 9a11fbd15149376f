// `nocsim eval`: test accuracy of a model file on all 10,000 Fashion-MNIST test images, or the
// per-layer shapes of a model file or zoo catalog. With --codec, every layer's weights make the
// round trip through the codec first (biases stay fp32) and the accuracy is that of the decoded
// weights, next to the original's: the cost (bits/weight, headers included) and benefit table of
// compression/README.md comes from here.
#include <cstdio>
#include <iostream>
#include <optional>

#include "compression/codec_report.h"
#include "configs/user_error.h"
#include "models/model_file.h"
#include "tools/command.h"
#include "tools/model_eval.h"

namespace nocsim::tools {
namespace {

class EvalCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_option("--model", model_, "model file (nocsim.config.ModelFile)");
    app.add_option(
        "--zoo", zoo_,
        "lenet5|alexnet|alexnet_fc|vgg16|vgg16_fc|resnet50|mlp|pd_mlp|cnn (shapes only)");
    app.add_option("--block-size", block_size_,
                   "with --zoo: every FC layer permuted-diagonal at this p (model.block_size)");
    app.add_option("--density", density_,
                   "with --zoo: FC layers pruned to this fraction of weights (model.density)");
    app.add_option("--data", data_, "Fashion-MNIST folder");
    app.add_flag("--layers", layers_, "add a per-layer table (kind, shapes, p, weights, MACs)");
    app.add_option("--codec", codec_spec_, "round-trip every layer's weights through SPEC");
    add_allow_plugin_option(app);
    app.add_option("--chunk-rows", chunk_rows_text_,
                   "chunks of N block-rows per layer (a PE share; default 0 = one chunk)");
    app.add_option("--weight-precision", weight_precision_,
                   "datapath weight format: fp32 (default), fp16, int16, int8");
    app.add_option("--activation-precision", activation_precision_,
                   "datapath activation format: fp32 (default), fp16, int16, int8");
    app.footer(
        "Prints test accuracy on all 10,000 test images, parameter count and time. --codec\n"
        "prints bits per weight (headers included), RMSE, max |error| and the accuracy with the\n"
        "decoded weights against the original (spec syntax in compression/README.md, e.g.\n"
        "quant:bits=4 or kmeans:bits=4+huffman). --weight-precision / --activation-precision\n"
        "compute on that datapath (pe/README.md, \"Datapath\"), as accelerator.datapath does,\n"
        "and print the accuracy it gives.\n");
  }

  int run(std::ostream& out) override {
    config::ModelConfig mc;
    if (!model_.empty()) mc.set_file(model_);
    if (!zoo_.empty()) mc.set_zoo(zoo_);
    if (!data_.empty()) mc.set_dataset_dir(data_);
    if (block_size_) mc.set_block_size(*block_size_);
    if (density_) mc.set_density(*density_);
    const bool layers = layers_;
    const std::string& codec_spec = codec_spec_;
    const int64_t chunk_rows =
        chunk_rows_text_.empty() ? 0 : parse_count("--chunk-rows", chunk_rows_text_);
    if (!codec_spec.empty() && mc.file().empty()) {
      throw UserError("--codec", "needs --model FILE (a model with real weights)");
    }
    const config::ModelFile spec = models::load_model_spec(mc);
    if (layers || mc.file().empty()) print_layers(spec, out);
    if (mc.file().empty()) return 0;
    const models::Datapath datapath = {
        models::precision_by_name(weight_precision_, "--weight-precision"),
        models::precision_by_name(activation_precision_, "--activation-precision")};
    const ModelEval ev = evaluate_model(mc, codec_spec, chunk_rows, datapath);
    char line[300];
    std::snprintf(line, sizeof line,
                  "model %s (%s): test accuracy %.2f%% on %d images, %lld parameters, %lld "
                  "MACs/image, %.3f s\n",
                  ev.name.c_str(), ev.architecture.c_str(), 100 * ev.accuracy, ev.test_images,
                  static_cast<long long>(ev.parameters), static_cast<long long>(ev.macs),
                  ev.seconds);
    out << line;
    if (ev.datapath_accuracy) {
      std::snprintf(line, sizeof line,
                    "datapath %s weights x %s activations: accuracy %.2f%% (change %+.2f points)\n",
                    ev.datapath.weights.name, ev.datapath.activations.name,
                    100 * *ev.datapath_accuracy, 100 * (*ev.datapath_accuracy - ev.accuracy));
      out << line;
    }
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
           "density    weights      MACs\n";
    for (const auto& l : models::describe_layers(spec)) {
      char line[300];
      std::snprintf(line, sizeof line,
                    "%-16s %-10s %4dx%4dx%4d %4dx%4dx%4d %2d %2d %2d %5d %8.4f %10lld %12lld\n",
                    l.name.c_str(), l.kind.c_str(), l.input.channels, l.input.height, l.input.width,
                    l.output.channels, l.output.height, l.output.width, l.kernel, l.stride,
                    l.padding, l.block_size, l.density, static_cast<long long>(l.num_weights),
                    static_cast<long long>(l.macs));
      out << line;
      weights += l.num_weights;
      macs += l.macs;
    }
    out << "total: " << weights << " weights, " << macs << " MACs per inference\n";
  }

 private:
  std::string model_, zoo_, data_, codec_spec_, chunk_rows_text_;
  std::optional<int> block_size_;
  std::optional<double> density_;
  std::string weight_precision_, activation_precision_;
  bool layers_ = false;
};

NOCSIM_REGISTER(command_registry(), EvalCommand, "eval",
                "test accuracy of a model file, or layer shapes of a model / zoo catalog");

}  // namespace
}  // namespace nocsim::tools
