#pragma once
// Reading an ONNX protobuf: constant tensors as floats and node attributes, with errors naming
// the tensor or node. Internal to the importer (exposes the onnx:: types).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "onnx/onnx.pb.h"

namespace nocsim::models::onnx_import {

struct FloatTensor {
  std::vector<int64_t> dims;
  std::vector<float> values;
  int64_t size() const { return static_cast<int64_t>(values.size()); }
};

// FLOAT tensors (raw_data or float_data) and INT64 tensors (converted, for Reshape shapes);
// `what` names the tensor in errors. Throws UserError(where, ...).
FloatTensor read_tensor(const onnx::TensorProto& t, const std::string& where);

// A node's attributes, with defaults; a wrong type is a UserError naming the node.
class Attributes {
 public:
  Attributes(const onnx::NodeProto& node, std::string where);
  bool has(const std::string& name) const { return by_name_.count(name) > 0; }
  int64_t integer(const std::string& name, int64_t fallback) const;
  float real(const std::string& name, float fallback) const;
  std::string text(const std::string& name, const std::string& fallback) const;
  std::vector<int64_t> integers(const std::string& name, std::vector<int64_t> fallback) const;
  const onnx::AttributeProto* get(const std::string& name) const;

 private:
  const onnx::AttributeProto& typed(const std::string& name, onnx::AttributeProto::AttributeType t,
                                    const char* type_name) const;
  std::map<std::string, const onnx::AttributeProto*> by_name_;
  std::string where_;
};

}  // namespace nocsim::models::onnx_import
