// `nocsim codecs`: lists every weight codec (built-in and from --plugin libraries) with its
// parameters, and with --try encodes pseudo-random weights to show what a spec costs and loses.
#include <iomanip>
#include <ostream>
#include <sstream>

#include "compression/codec_chain.h"
#include "compression/codec_registry.h"
#include "compression/codec_report.h"
#include "compression/codec_spec.h"
#include "compression/plugin_loader.h"
#include "configs/rng.h"
#include "configs/user_error.h"
#include "tools/command.h"
#include "tools/number_format.h"

namespace nocsim::tools {
namespace {

using namespace nocsim::compression;

std::string cost_line(const Codec& c) {
  const DecoderCost d = c.decoder_cost();
  return "decoder " + std::to_string(d.latency_cycles) + " cycles latency, " +
         significant(d.weights_per_cycle, 3) + " weights/cycle, " +
         significant(d.energy_pj_per_weight, 3) + " pJ/weight";
}

class CodecsCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_option("--plugin", plugins_,
                   "load this library of out-of-tree codecs (repeatable; naming it here allows it)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--try", spec_, "encode pseudo-random N(0, 0.05^2) weights with SPEC");
    add_allow_plugin_option(app);  // for "@LIB.so+" in --try
    app.add_option("--weights", weights_, "weights for --try")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 28));
    app.add_option("--chunk", chunk_, "weights per chunk for --try")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 28));
    app.add_option("--seed", seed_, "seed of the --try weights")->capture_default_str();
    app.footer(
        "Lists every codec with its parameters (type, range, default) and description. --try\n"
        "prints bits/weight (headers included), RMSE and max error.\n"
        "SPEC syntax: name[:key=value,...][+name...], e.g. quant:bits=4,granularity=block or\n"
        "kmeans:bits=4+huffman; a leading @LIB.so+ loads a plugin.\n");
  }

  int run(std::ostream& out) override {
    const std::string& spec = spec_;
    const uint64_t weights = weights_, chunk = chunk_, seed = seed_;
    const std::vector<std::string>& plugins = plugins_;
    for (const auto& plugin : plugins) {
      allow_codec_plugin(plugin);
      load_codec_plugin(plugin, "--plugin");
    }
    if (spec.empty()) {
      list(out);
    } else {
      try_spec(spec, weights, chunk, seed, out);
    }
    return 0;
  }

 private:
  std::string spec_;
  uint64_t weights_ = 1 << 20, chunk_ = 4096, seed_ = 1;
  std::vector<std::string> plugins_;

  static void list(std::ostream& out) {
    for (const auto& [name, entry] : codec_registry().entries()) {
      CodecParams params;
      const auto codec = entry.make(params);
      out << name << " - " << entry.description << "\n";
      out << "    " << (codec->lossless() ? "lossless" : "lossy") << "; nominal "
          << significant(codec->nominal_bits_per_weight(), 4) << " bits/weight; "
          << cost_line(*codec) << "\n";
      out << "    error: " << codec->error_bound() << "\n";
      for (const auto& s : params.specs()) {
        out << "    " << std::left << std::setw(14) << s.name << std::setw(30) << s.range()
            << "default " << std::setw(10) << s.default_value << s.help << "\n";
      }
    }
    out << "\nA spec chains stages with '+': kmeans:bits=4+huffman (see nocsim codecs --help);\n"
           "shorthands: intN = quant:bits=N (int8, int4:granularity=block), fp32 = identity.\n";
  }

  static void try_spec(const std::string& spec, uint64_t n, uint64_t chunk, uint64_t seed,
                       std::ostream& out) {
    const auto codec = make_codec(parse_codec_spec(spec, "--try"), "--try");
    Rng rng(seed);
    std::vector<std::vector<float>> layers(1, std::vector<float>(n));
    for (auto& x : layers[0]) x = static_cast<float>(0.05 * rng.normal());
    const RoundTrip rt = round_trip(*codec, layers, chunk);
    const CodecReport& r = rt.report;
    out << "codec           " << codec->spec() << "\n"
        << "weights         " << r.weights << " ~ N(0, 0.05^2), seed " << seed << ", chunks of "
        << chunk << "\n"
        << "bits/weight     " << significant(r.bits_per_weight, 6) << " (header " << r.header_bits
        << " bits, chunks " << r.chunk_bits << " bits)\n"
        << "nominal         " << significant(codec->nominal_bits_per_weight(), 6)
        << " bits/weight\n"
        << "rmse            " << significant(r.rmse, 6) << "\n"
        << "max |error|     " << significant(r.max_abs_error, 6) << "\n"
        << "lossless        " << (codec->lossless() ? "yes" : "no") << "\n"
        << "error bound     " << codec->error_bound() << "\n"
        << cost_line(*codec) << "\n";
  }
};

NOCSIM_REGISTER(command_registry(), CodecsCommand, "codecs",
                "list weight codecs and their parameters; --try SPEC measures one");

}  // namespace
}  // namespace nocsim::tools
