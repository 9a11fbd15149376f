#include "models/model_file.h"

#include <fstream>
#include <sstream>

#include "configs/user_error.h"
#include "models/architecture.h"

namespace nocsim::models {

config::ModelFile read_model_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("model.file", path + ": cannot open model file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  config::ModelFile f;
  if (bytes.empty()) throw UserError("model.file", path + ": empty model file");
  if (!f.ParseFromString(bytes))
    throw UserError("model.file", path +
                                      ": not a nocsim model file (protobuf parse failed; "
                                      "truncated or corrupt)");
  if (f.end_marker() != kModelFileEndMarker)
    throw UserError("model.file", path + ": truncated model file (end marker missing)");
  if (f.format_version() != 1)
    throw UserError("model.file", path + ": unsupported format_version " +
                                      std::to_string(f.format_version()) + " (this build reads 1)");
  return f;
}

std::string serialize_model(const Model& model) {
  config::ModelFile f = model.to_spec(true);
  f.set_end_marker(kModelFileEndMarker);
  std::string out;
  f.SerializeToString(&out);
  return out;
}

Model load_model(const std::string& path) {
  const config::ModelFile spec = read_model_file(path);
  for (int i = 0; i < spec.layers_size(); ++i) {
    const auto& l = spec.layers(i);
    auto probe = make_layer(l, path + ": layers[" + std::to_string(i) + "]");
    if (probe->num_weights() + probe->num_bias() > 0 && l.weights_size() == 0)
      throw UserError(path + ": layers[" + std::to_string(i) + "].weights",
                      "missing (a layer-shape catalog, not a trained model?)");
  }
  return Model::from_spec(spec, 0, path);
}

config::ModelFile load_model_spec(const config::ModelConfig& config) {
  if (!config.file().empty()) return read_model_file(config.file());
  if (!config.zoo().empty()) return build_architecture(config.zoo(), {}, "model.zoo");
  throw UserError(
      "model", "set model.file (a model file) or model.zoo (one of: " + [] {
        std::string s;
        for (const auto& n : architecture_registry().names()) s += (s.empty() ? "" : ", ") + n;
        return s;
      }() + ")");
}

std::vector<LayerInfo> describe_layers(const config::ModelFile& spec) {
  std::vector<LayerInfo> out;
  TensorShape shape{spec.input_channels(), std::max(1, spec.input_height()),
                    std::max(1, spec.input_width())};
  for (int i = 0; i < spec.layers_size(); ++i) {
    config::LayerSpec ls = spec.layers(i);
    ls.clear_weights();
    ls.clear_bias();
    if (ls.in_channels() == 0) {
      ls.set_in_channels(shape.channels);
      ls.set_in_height(shape.height);
      ls.set_in_width(shape.width);
    }
    auto layer = make_layer(ls, "layers[" + std::to_string(i) + "]");
    LayerInfo info;
    info.kind = layer->kind();
    info.name = layer->name();
    info.input = layer->input_shape();
    info.output = layer->output_shape();
    info.kernel = layer->kernel();
    info.stride = ls.stride() > 0 ? ls.stride() : (layer->kernel() > 0 ? 1 : 0);
    if (info.kind.find("pool") != std::string::npos && ls.stride() == 0) info.stride = info.kernel;
    info.padding = layer->padding();
    info.block_size = layer->block_size();
    info.num_block_rows = layer->num_block_rows();
    info.num_weights = layer->num_weights();
    info.num_bias = layer->num_bias();
    info.macs = layer->macs();
    shape = info.output;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace nocsim::models
