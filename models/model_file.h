#pragma once
// Model files: a binary config::ModelFile (configs/schema/model_file.proto), read, checked,
// written and described. load_model_spec (models/model_config.h) turns a ModelConfig into one.
#include <string>
#include <vector>

#include "configs/schema/model.pb.h"
#include "configs/schema/model_file.pb.h"
#include "models/model.h"
#include "models/model_config.h"

namespace nocsim::models {

inline constexpr uint32_t kModelFileEndMarker = 0x4E4F4353;  // "NOCS"

// Reads and parses `path`. UserErrors naming the file: missing, a folder, not a regular file,
// larger than protobuf allows, truncated, unparsable, without or failing its payload CRC-32, or
// with stored shapes and counts that disagree with its architecture (check_stored_shapes).
// A path ending in .onnx is imported from ONNX (models/onnx/onnx_import.h, default options).
config::ModelFile read_model_file(const std::string& path);
// The same checks on bytes already read; `path` names them in errors.
config::ModelFile parse_model_file(const std::string& bytes, const std::string& path);
// Builds every layer of `spec` from its shapes (allocating nothing) and checks each stored shape
// and count (in_*, out_*, num_weights, macs, the number of weights and biases) against what the
// layer computes, and every size against what a model file can hold. UserError on
// "<where>: layers[i] (name).field".
void check_stored_shapes(const config::ModelFile& spec, const std::string& where);
// The bytes of a model file, ending with payload_crc32 and the end marker (the caller writes them
// atomically, e.g. tools::write_file_atomic).
std::string serialize_model(const Model& model);
// The same for a spec as it stands (its checksum and end marker are replaced).
std::string serialize_model_file(config::ModelFile spec);
// read_model_file + Model::from_spec; every layer must carry its parameters.
Model load_model(const std::string& path);
// The model of a spec read_model_file returned (every layer must carry its parameters).
Model model_from_file(const config::ModelFile& spec, const std::string& path);

// Per-layer shapes and sizes, without allocating weights (works for VGG-16 and ResNet-50).
struct LayerInfo {
  std::string kind, name;
  std::vector<int> inputs;  // producers (-1 = the model input), models/layer_graph.h
  TensorShape input, output;
  int kernel = 0, stride = 0, padding = 0;
  int block_size = 1;
  int num_block_rows = 1;
  int64_t num_weights = 0, num_bias = 0, macs = 0;
  double density = 1.0;  // pruned layers: the fraction of weights kept (LayerSpec.density)
};
std::vector<LayerInfo> describe_layers(const config::ModelFile& spec);

}  // namespace nocsim::models
