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

namespace nocsim::tools {

struct CodecEval {
  std::string spec;  // canonical, every parameter's effective value
  bool lossless = false;
  compression::CodecReport report;       // report.layers[k] is layer layer_names[k]
  std::vector<std::string> layer_names;  // the layers that have weights
  double accuracy = 0;                   // with the decoded weights
  double seconds = 0;                    // codec round trip
};

struct ModelEval {
  std::string name, architecture;
  int test_images = 0;
  int64_t parameters = 0, macs = 0;
  double accuracy = 0;  // original weights
  double seconds = 0;   // the accuracy pass
  std::optional<CodecEval> codec;
};

// `mc.file` is a trained model; `codec_spec` "" = no codec; `chunk_rows` cuts each layer into
// chunks of that many block-rows (0 = one chunk per layer). The codec is built before the slow
// part, so a bad spec fails at once (UserError on "--codec").
ModelEval evaluate_model(const config::ModelConfig& mc, const std::string& codec_spec,
                         int64_t chunk_rows);

}  // namespace nocsim::tools
