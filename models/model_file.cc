#include "models/model_file.h"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <string_view>

#include "configs/input_file.h"
#include "configs/user_error.h"
#include "models/onnx/onnx_import.h"
#include "models/weight_mask.h"

namespace nocsim::models {

namespace {

constexpr uint64_t kMaxLayerValues = std::numeric_limits<int>::max();  // a repeated field's bound
// Values of one activation tensor (input or a layer's output): 2^26 floats (256 MiB) is 20 times
// VGG-16's largest and keeps every size product far inside int64.
constexpr uint64_t kMaxActivationValues = uint64_t{1} << 26;
constexpr int kMaxGeometry = 65535;  // kernel, stride, padding, block size

// The file's last bytes: payload_crc32 (field 99, fixed32) then end_marker (field 100, fixed32),
// written by serialize_model_file in this order after everything else.
std::string trailer(uint32_t crc) {
  config::ModelFile t;
  t.set_payload_crc32(crc);
  t.set_end_marker(kModelFileEndMarker);
  return t.SerializeAsString();
}

uint32_t crc32_of(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes lengths as uInt; model files are below 2 GiB, so one call always suffices.
  crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size()));
  return static_cast<uint32_t>(crc);
}

}  // namespace

config::ModelFile read_model_file(const std::string& path) {
  if (is_onnx_path(path)) return import_onnx_file(path);
  return parse_model_file(read_input_file(path, "model.file", "model file", kMaxProtobufBytes),
                          path);
}

config::ModelFile parse_model_file(const std::string& bytes, const std::string& path) {
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
  if (!f.has_payload_crc32())
    throw UserError("model.file",
                    path +
                        ": no payload checksum (payload_crc32); files written before nocsim "
                        "checked them are not read: remake it with `nocsim train` (the "
                        "command is in its training record)");
  const std::string tail = trailer(f.payload_crc32());
  if (bytes.size() < tail.size() ||
      bytes.compare(bytes.size() - tail.size(), tail.size(), tail) != 0)
    throw UserError("model.file", path +
                                      ": corrupt model file (the checksum and end marker are "
                                      "not the file's last fields)");
  const uint32_t actual = crc32_of(std::string_view(bytes).substr(0, bytes.size() - tail.size()));
  if (actual != f.payload_crc32())
    throw UserError("model.file", path + ": corrupt model file (payload CRC-32 is " +
                                      std::to_string(actual) + ", the file says " +
                                      std::to_string(f.payload_crc32()) + ")");
  check_stored_shapes(f, path);
  return f;
}

void check_stored_shapes(const config::ModelFile& spec, const std::string& where) {
  const TensorShape input{spec.input_channels(), std::max(1, spec.input_height()),
                          std::max(1, spec.input_width())};
  require(spec.input_channels() >= 1 && spec.input_height() >= 0 && spec.input_width() >= 0,
          where + ": input_channels", "the input shape must be positive");
  require(static_cast<uint64_t>(input.size()) <= kMaxActivationValues, where + ": input_channels",
          "input " + shape_text(input) + " has more than " + std::to_string(kMaxActivationValues) +
              " values");
  GraphShapes shapes(spec, where);
  for (int i = 0; i < spec.layers_size(); ++i) {
    const config::LayerSpec& stored = spec.layers(i);
    const std::string field = where + ": layers[" + std::to_string(i) + "]";
    const std::string layer_text = "layer '" + stored.name() + "' (" + stored.kind() + ")";
    config::LayerSpec ls = stored;
    ls.clear_weights();
    ls.clear_bias();
    ls.clear_offsets();
    const TensorShape shape = shapes.input(i);
    ls = shapes.with_input(i, std::move(ls));
    // Bounds before the layer computes anything from them, so that no size product can overflow.
    for (const auto& [name, v] : {std::pair<const char*, int>{"kernel", ls.kernel()},
                                  {"stride", ls.stride()},
                                  {"padding", ls.padding()},
                                  {"block_size", ls.block_size()}})
      require(v >= 0 && v <= kMaxGeometry, field + "." + name,
              layer_text + ": must be between 0 and " + std::to_string(kMaxGeometry) + ", got " +
                  std::to_string(v));
    const double in_values = static_cast<double>(ls.in_channels()) * std::max(1, ls.in_height()) *
                             std::max(1, ls.in_width());
    require(
        in_values <= static_cast<double>(kMaxActivationValues), field + ".in_channels",
        layer_text + ": input has more than " + std::to_string(kMaxActivationValues) + " values");
    const double kernel = std::max(1, ls.kernel());
    require(static_cast<double>(ls.out_channels()) * ls.in_channels() * kernel * kernel <=
                static_cast<double>(kMaxLayerValues),
            field + ".out_channels",
            layer_text + ": needs more weights than a model file can hold (" +
                std::to_string(kMaxLayerValues) + ")");
    std::unique_ptr<Layer> layer;
    try {
      layer = make_layer(ls, "layers[" + std::to_string(i) + "]");
    } catch (const UserError& e) {
      throw UserError(where + ": " + e.field(), e.reason());
    }
    shapes.check_arity(i, *layer);
    auto mismatch = [&](const std::string& name, int64_t stored_value, int64_t actual) {
      if (stored_value != actual)
        throw UserError(field + "." + name,
                        layer_text + ": stored " + std::to_string(stored_value) +
                            " but the architecture gives " + std::to_string(actual));
    };
    if (stored.in_channels() != 0) {
      mismatch("in_channels", layer->input_shape().channels, shape.channels);
      mismatch("in_height", layer->input_shape().height, shape.height);
      mismatch("in_width", layer->input_shape().width, shape.width);
    }
    const TensorShape out = layer->output_shape();
    if (stored.out_channels() != 0) mismatch("out_channels", stored.out_channels(), out.channels);
    if (stored.out_height() != 0) mismatch("out_height", stored.out_height(), out.height);
    if (stored.out_width() != 0) mismatch("out_width", stored.out_width(), out.width);
    if (stored.has_num_weights())
      mismatch("num_weights", stored.num_weights(), layer->num_weights());
    if (stored.has_macs()) mismatch("macs", stored.macs(), layer->macs());
    // Sizes the format cannot hold are refused here, before anything is allocated for them.
    require(static_cast<uint64_t>(layer->num_weights()) <= kMaxLayerValues, field + ".num_weights",
            layer_text + " needs " + std::to_string(layer->num_weights()) +
                " weights, more than a model file can hold (" + std::to_string(kMaxLayerValues) +
                ")");
    require(static_cast<uint64_t>(out.size()) <= kMaxActivationValues, field + ".out_channels",
            layer_text + ": output " + shape_text(out) + " has more than " +
                std::to_string(kMaxActivationValues) + " values");
    require(!stored.has_density() || layer->supports_density(), field + ".density",
            layer_text +
                ": this kind cannot be pruned (density applies to layers with "
                "unstructured weights: dense, conv2d)");
    if (stored.weights_size() > 0 || stored.bias_size() > 0) {
      // Before Model::from_spec allocates the layer: the stored values bound what it needs.
      require(stored.weights_size() == layer->num_weights(), field + ".weights",
              layer_text + ": has " + std::to_string(stored.weights_size()) +
                  " values, this shape needs " + std::to_string(layer->num_weights()));
      require(stored.bias_size() == layer->num_bias(), field + ".bias",
              layer_text + ": has " + std::to_string(stored.bias_size()) +
                  " values, this shape needs " + std::to_string(layer->num_bias()));
      if (stored.has_density()) {
        const int64_t nnz =
            count_non_zeros({stored.weights().data(), static_cast<size_t>(stored.weights_size())});
        const int64_t allowed = max_non_zeros(stored.density(), layer->num_weights());
        require(nnz <= allowed, field + ".density",
                layer_text + ": " + std::to_string(nnz) + " non-zero weights, but density " +
                    number_text(stored.density()) + " allows at most " + std::to_string(allowed) +
                    " of " + std::to_string(layer->num_weights()));
      }
    }
    shapes.set_output(i, out);
  }
}

std::string serialize_model(const Model& model) {
  return serialize_model_file(model.to_spec(true));
}

std::string serialize_model_file(config::ModelFile f) {
  f.clear_payload_crc32();
  f.clear_end_marker();
  std::string out;
  f.SerializeToString(&out);
  // Parsing concatenated messages merges them, so the trailer can be appended as its own message.
  out += trailer(crc32_of(out));
  return out;
}

Model load_model(const std::string& path) {
  return model_from_file(read_model_file(path), path);
}

Model model_from_file(const config::ModelFile& spec, const std::string& path) {
  for (int i = 0; i < spec.layers_size(); ++i) {
    const auto& l = spec.layers(i);
    auto probe = make_layer(l, path + ": layers[" + std::to_string(i) + "]");
    if (probe->num_weights() + probe->num_bias() > 0 && l.weights_size() == 0)
      throw UserError(path + ": layers[" + std::to_string(i) + "].weights",
                      "missing (a layer-shape catalog, not a trained model?)");
  }
  return Model::from_spec(spec, 0, path);
}

std::vector<LayerInfo> describe_layers(const config::ModelFile& spec) {
  std::vector<LayerInfo> out;
  GraphShapes shapes(spec, "model");
  for (int i = 0; i < spec.layers_size(); ++i) {
    config::LayerSpec ls = spec.layers(i);
    ls.clear_weights();
    ls.clear_bias();
    ls = shapes.with_input(i, std::move(ls));
    auto layer = make_layer(ls, "layers[" + std::to_string(i) + "]");
    LayerInfo info;
    info.kind = layer->kind();
    info.name = layer->name();
    info.inputs = shapes.graph().inputs[i];
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
    info.density = layer->density();
    shapes.set_output(i, info.output);
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace nocsim::models
