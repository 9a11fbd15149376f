#include "tools/model_eval.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "compression/codec_chain.h"
#include "compression/codec_spec.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "models/quantized_model.h"
#include "pe/datapath.h"

namespace nocsim::tools {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

CodecEval eval_codec(const compression::CodecChain& codec, int64_t chunk_rows, models::Model& model,
                     const models::Dataset& test, const models::Datapath& datapath) {
  CodecEval ev;
  ev.spec = codec.spec();
  ev.lossless = codec.lossless();
  std::vector<int> with_weights;
  std::vector<std::vector<float>> weights;
  std::vector<std::vector<size_t>> bounds;
  for (int i = 0; i < model.num_layers(); ++i) {
    const models::Layer& l = model.layer(i);
    const auto w = l.weights();
    if (w.empty()) continue;
    with_weights.push_back(i);
    ev.layer_names.push_back(l.name());
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
  compression::RoundTrip rt = compression::round_trip(codec, weights, bounds);
  ev.seconds = seconds_since(t0);
  for (size_t k = 0; k < with_weights.size(); ++k) {
    model.layer(with_weights[k]).set_weights(rt.decoded[k]);
  }
  ev.accuracy = models::datapath_accuracy(model, datapath, test);
  ev.report = std::move(rt.report);
  return ev;
}

}  // namespace

ModelEval evaluate_model(const config::ModelConfig& mc, const std::string& codec_spec,
                         int64_t chunk_rows, const models::Datapath& datapath) {
  std::unique_ptr<compression::CodecChain> codec;
  if (!codec_spec.empty()) {
    codec =
        compression::make_codec(compression::parse_codec_spec(codec_spec, "--codec"), "--codec");
    pe::require_codec_feeds(*codec, datapath.weights, "--weight-precision");
  }
  models::Model model = models::load_model(mc.file());
  const models::Dataset test =
      models::load_fashion_mnist(mc.dataset_dir(), models::Split::kTest, "--data");
  ModelEval ev;
  ev.name = model.name();
  ev.architecture = model.architecture();
  ev.test_images = test.count;
  ev.parameters = model.num_parameters();
  ev.macs = model.macs();
  const auto t0 = std::chrono::steady_clock::now();
  ev.accuracy = model.accuracy(test);
  ev.seconds = seconds_since(t0);
  ev.datapath = datapath;
  if (!datapath.is_default() && !codec)
    ev.datapath_accuracy = models::datapath_accuracy(model, datapath, test);
  if (codec) ev.codec = eval_codec(*codec, chunk_rows, model, test, datapath);
  return ev;
}

}  // namespace nocsim::tools
