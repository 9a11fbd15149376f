#pragma once
// What `nocsim eval` measures, as a library function (the command and the Python package print
// or return it): test accuracy of a model file, and with a codec the accuracy of the weights after
// a round trip through it, with the codec's size and error per layer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compression/codec_report.h"
#include "configs/schema/model.pb.h"
#include "models/precision.h"

namespace nocsim::tools {

struct CodecEval {
  std::string spec;  // canonical, every parameter's effective value
  bool lossless = false;
  compression::CodecReport report;       // report.layers[k] is layer layer_names[k]
  std::vector<std::string> layer_names;  // the layers that have weights
  double accuracy = 0;                   // with the decoded weights, on the datapath
  double seconds = 0;                    // codec round trip
};

struct ModelEval {
  std::string name, architecture;
  int test_images = 0;
  int64_t parameters = 0, macs = 0;
  double accuracy = 0;  // original weights (fp32)
  double seconds = 0;   // the accuracy pass
  models::Datapath datapath;
  // Original weights on `datapath`, when it is not the default (fp32 x fp32) and there is no
  // codec (with one, codec->accuracy is the decoded weights' on the datapath).
  std::optional<double> datapath_accuracy;
  std::optional<CodecEval> codec;
};

// `mc.file` is a trained model; `codec_spec` "" = no codec; `chunk_rows` cuts each layer into
// chunks of that many block-rows (0 = one chunk per layer). The codec is built before the slow
// part, so a bad spec fails at once (UserError on "--codec"), and so is its check against the
// weight precision (pe::require_codec_feeds, on "--weight-precision"). Accuracies on `datapath`
// come from models::datapath_accuracy, the function the accelerator's accuracy uses.
ModelEval evaluate_model(const config::ModelConfig& mc, const std::string& codec_spec,
                         int64_t chunk_rows, const models::Datapath& datapath = {});

}  // namespace nocsim::tools
