#include "models/onnx/onnx_tensors.h"

#include <cstring>

#include "configs/user_error.h"

namespace nocsim::models::onnx_import {

namespace {
// Larger than any network nocsim simulates; guards against absurd dims in a corrupt file.
constexpr int64_t kMaxTensorElements = int64_t{1} << 31;

template <class T>
std::vector<T> raw_values(const std::string& raw, int64_t count, const std::string& where) {
  if (static_cast<int64_t>(raw.size()) != count * static_cast<int64_t>(sizeof(T)))
    throw UserError(where, "raw_data holds " + std::to_string(raw.size()) +
                               " bytes, the dims need " + std::to_string(count * sizeof(T)));
  std::vector<T> v(count);
  // ONNX raw_data is little-endian, as is every machine nocsim builds on.
  if (count > 0) std::memcpy(v.data(), raw.data(), raw.size());
  return v;
}
}  // namespace

FloatTensor read_tensor(const onnx::TensorProto& t, const std::string& where) {
  FloatTensor out;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > kMaxTensorElements / d))
      throw UserError(where, "invalid dims (negative or too large)");
    count *= d;
    out.dims.push_back(d);
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw UserError(where, "external tensor data is not supported (save the model in one file)");
  if (t.segment().end() != 0 || t.segment().begin() != 0)
    throw UserError(where, "segmented tensors are not supported");
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (t.has_raw_data()) {
        out.values = raw_values<float>(t.raw_data(), count, where);
      } else {
        if (t.float_data_size() != count)
          throw UserError(where, "float_data holds " + std::to_string(t.float_data_size()) +
                                     " values, the dims need " + std::to_string(count));
        out.values.assign(t.float_data().begin(), t.float_data().end());
      }
      return out;
    case onnx::TensorProto::INT64: {
      std::vector<int64_t> v;
      if (t.has_raw_data()) {
        v = raw_values<int64_t>(t.raw_data(), count, where);
      } else {
        if (t.int64_data_size() != count)
          throw UserError(where, "int64_data holds " + std::to_string(t.int64_data_size()) +
                                     " values, the dims need " + std::to_string(count));
        v.assign(t.int64_data().begin(), t.int64_data().end());
      }
      out.values.assign(v.begin(), v.end());
      return out;
    }
    default:
      throw UserError(where, "data type " + std::to_string(t.data_type()) +
                                 " is not supported (FLOAT weights, INT64 shapes)");
  }
}

Attributes::Attributes(const onnx::NodeProto& node, std::string where) : where_(std::move(where)) {
  for (const auto& a : node.attribute()) by_name_[a.name()] = &a;
}

const onnx::AttributeProto* Attributes::get(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const onnx::AttributeProto& Attributes::typed(const std::string& name,
                                              onnx::AttributeProto::AttributeType t,
                                              const char* type_name) const {
  const onnx::AttributeProto& a = *get(name);
  // Old exporters leave `type` unset; then the filled field decides.
  if (a.type() != onnx::AttributeProto::UNDEFINED && a.type() != t)
    throw UserError(where_ + ": attribute " + name, std::string("must be ") + type_name);
  return a;
}

int64_t Attributes::integer(const std::string& name, int64_t fallback) const {
  return has(name) ? typed(name, onnx::AttributeProto::INT, "an integer").i() : fallback;
}

float Attributes::real(const std::string& name, float fallback) const {
  return has(name) ? typed(name, onnx::AttributeProto::FLOAT, "a float").f() : fallback;
}

std::string Attributes::text(const std::string& name, const std::string& fallback) const {
  return has(name) ? typed(name, onnx::AttributeProto::STRING, "a string").s() : fallback;
}

std::vector<int64_t> Attributes::integers(const std::string& name,
                                          std::vector<int64_t> fallback) const {
  if (!has(name)) return fallback;
  const auto& a = typed(name, onnx::AttributeProto::INTS, "a list of integers");
  return {a.ints().begin(), a.ints().end()};
}

}  // namespace nocsim::models::onnx_import
