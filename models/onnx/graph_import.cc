// The ONNX graph walk: nodes in the file's (topological) order become the layer list of a
// config::ModelFile; a node that reads a tensor other than the previous layer's output names its
// producer (LayerSpec.inputs), and an Add of two computed tensors becomes an `add` layer (a
// residual connection). Constants (initializers, Constant nodes) are weights, biases or shapes; Add
// of a constant and BatchNormalization fold into the layer before.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "configs/input_file.h"
#include "configs/user_error.h"
#include "models/layer.h"
#include "models/layer_graph.h"
#include "models/model_file.h"
#include "models/onnx/onnx_import.h"
#include "models/onnx/onnx_tensors.h"
#include "models/onnx/pd_structure.h"
#include "models/onnx/training_metadata.h"

namespace nocsim::models {

namespace {

using onnx_import::Attributes;
using onnx_import::FloatTensor;

// Fashion-MNIST, the data set every nocsim run scores on.
constexpr TensorShape kDatasetShape{1, 28, 28};

// "/features/conv1/Conv" -> "features.conv1" (PyTorch's module path), else "<op><index>".
std::string layer_name(const onnx::NodeProto& node, int index) {
  std::string n = node.name();
  if (!n.empty() && n.front() == '/') {
    n.erase(0, 1);
    const size_t last = n.rfind('/');
    n = last == std::string::npos ? n : n.substr(0, last);
    std::replace(n.begin(), n.end(), '/', '.');
    if (!n.empty()) return n;
  }
  if (!node.name().empty()) return node.name();
  std::string op = node.op_type();
  std::transform(op.begin(), op.end(), op.begin(), [](unsigned char c) { return std::tolower(c); });
  return op + std::to_string(index);
}

class GraphImporter {
 public:
  GraphImporter(const onnx::ModelProto& model, std::string where, const OnnxImportOptions& options)
      : model_(model), g_(model.graph()), where_(std::move(where)), options_(options) {}

  config::ModelFile run() {
    read_constants();
    read_input();
    for (const auto& n : g_.node())
      for (const auto& in : n.input()) ++uses_[in];
    for (int i = 0; i < g_.node_size(); ++i) visit(i);
    if (g_.output_size() != 1)
      throw UserError(where_ + ": graph.output", "the graph must have exactly one output, has " +
                                                     std::to_string(g_.output_size()));
    if (layers_.empty()) throw UserError(where_ + ": graph", "no layers");
    const auto out = values_.find(g_.output(0).name());
    if (out == values_.end() || out->second.layer + 1 != static_cast<int>(layers_.size()))
      throw UserError(where_ + ": graph.output",
                      "output '" + g_.output(0).name() + "' is not the last layer's output");
    finish_layers();
    config::ModelFile f;
    f.set_format_version(1);
    f.set_name(g_.name().empty() ? "onnx" : g_.name());
    f.set_architecture("onnx");
    f.set_input_channels(input_.channels);
    f.set_input_height(input_.height);
    f.set_input_width(input_.width);
    f.set_num_classes(static_cast<int>(shape_.size()));
    for (auto& l : layers_) *f.add_layers() = std::move(l);
    f.mutable_training()->set_command("imported from ONNX (" + model_.producer_name() + " " +
                                      model_.producer_version() + ")");
    onnx_import::read_training_metadata(model_, where_, *f.mutable_training());
    f.set_end_marker(kModelFileEndMarker);
    return f;
  }

 private:
  void read_constants() {
    for (int i = 0; i < g_.initializer_size(); ++i) {
      const auto& t = g_.initializer(i);
      consts_[t.name()] = onnx_import::read_tensor(
          t, where_ + ": graph.initializer[" + std::to_string(i) + "] '" + t.name() + "'");
    }
    if (g_.sparse_initializer_size() > 0)
      throw UserError(where_ + ": graph.sparse_initializer",
                      "sparse initializers are not supported");
  }

  void read_input() {
    const onnx::ValueInfoProto* in = nullptr;
    for (const auto& v : g_.input()) {
      if (consts_.count(v.name())) continue;  // old exporters list initializers as inputs
      if (in != nullptr)
        throw UserError(where_ + ": graph.input",
                        "more than one data input ('" + in->name() + "', '" + v.name() + "')");
      in = &v;
    }
    if (in == nullptr) throw UserError(where_ + ": graph.input", "no data input");
    const std::string field = where_ + ": graph.input '" + in->name() + "'";
    if (!in->type().has_tensor_type() || !in->type().tensor_type().has_shape())
      throw UserError(field, "has no tensor shape");
    if (in->type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
      throw UserError(field, "must be a float tensor");
    std::vector<int64_t> dims;  // without the batch dimension
    const auto& shape = in->type().tensor_type().shape();
    for (int d = 1; d < shape.dim_size(); ++d) {
      if (!shape.dim(d).has_dim_value())
        throw UserError(field, "dimension " + std::to_string(d) + " must be a number");
      dims.push_back(shape.dim(d).dim_value());
    }
    // N x 784 (flattened), N x 28 x 28 or N x 1 x 28 x 28: the same pixels in the same order.
    int64_t count = 1;
    for (int64_t d : dims) count = d > 0 && count < (int64_t{1} << 40) ? count * d : -1;
    const bool is_dataset =
        count == kDatasetShape.size() && (dims.size() == 1 || (dims.size() == 2 && dims[0] == 28) ||
                                          (dims.size() == 3 && dims[0] == 1 && dims[1] == 28));
    if (shape.dim_size() < 2 || !is_dataset) {
      std::string got;
      for (int d = 0; d < shape.dim_size(); ++d)
        got +=
            (d ? "x" : "") +
            (shape.dim(d).has_dim_value()
                 ? std::to_string(shape.dim(d).dim_value())
                 : std::string(shape.dim(d).dim_param().empty() ? "?" : shape.dim(d).dim_param()));
      throw UserError(field, "shape " + got +
                                 " does not match the data set (Fashion-MNIST, N x 1 x 28 x 28 or "
                                 "N x 784)");
    }
    input_ = dims.size() == 1 ? TensorShape{784, 1, 1} : kDatasetShape;
    values_[in->name()] = {-1, input_, dims.size() == 1, false};
    shape_ = input_;
  }

  // --- per node ------------------------------------------------------------------------------
  void visit(int index) {
    const onnx::NodeProto& node = g_.node(index);
    where_node_ = where_ + ": node " + std::to_string(index) +
                  (node.name().empty() ? "" : " '" + node.name() + "'") + " (" + node.op_type() +
                  ")";
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      throw UserError(where_node_, "operator domain '" + node.domain() + "' is not supported");
    if (softmax_seen_) throw UserError(where_node_, "Softmax is only supported as the last node");
    const std::string& op = node.op_type();
    if (op == "Constant") return constant(node);
    read(data_input(node));
    if (node.output_size() < 1) throw UserError(where_node_, "has no output");
    const Attributes attrs(node, where_node_);
    if (op == "Gemm")
      gemm(node, attrs);
    else if (op == "MatMul")
      matmul(node);
    else if (op == "Add")
      add(node);
    else if (op == "Conv")
      conv(node, attrs);
    else if (op == "Relu")
      push(simple("relu", node));
    else if (op == "MaxPool" || op == "AveragePool")
      pool(node, attrs);
    else if (op == "GlobalAveragePool")
      global_average_pool(node);
    else if (op == "Flatten")
      flatten(attrs);
    else if (op == "Reshape")
      reshape(node);
    else if (op == "BatchNormalization")
      batch_norm(node, attrs);
    else if (op == "Softmax")
      softmax(attrs);
    else
      throw UserError(where_node_,
                      "unsupported op type '" + op + "'; supported: " + kSupportedOnnxOps);
    if (node.output_size() != 1)
      throw UserError(where_node_, "has " + std::to_string(node.output_size()) +
                                       " outputs; only the inference form (one output) is "
                                       "supported");
    values_[node.output(0)] = {src_, shape_, flat_, last_has_weights_};
  }

  // The name of the input that carries the activation (the first, for an Add of two); every other
  // input must be a constant, except the second operand of a residual Add.
  std::string data_input(const onnx::NodeProto& node) {
    std::vector<std::string> data;
    for (int i = 0; i < node.input_size(); ++i) {
      const std::string& in = node.input(i);
      if (in.empty() || consts_.count(in)) continue;
      if (!values_.count(in))
        throw UserError(where_node_, "reads '" + in +
                                         "', which is neither a constant nor computed by an "
                                         "earlier node (nodes must be in topological order)");
      data.push_back(in);
    }
    if (data.empty()) throw UserError(where_node_, "reads no computed tensor");
    if (data.size() > 1 && !(node.op_type() == "Add" && data.size() == 2))
      throw UserError(where_node_,
                      "takes more than one computed input; only Add joins two (a residual "
                      "connection)");
    return data[0];
  }

  // The tensor a node reads becomes the walk's current one.
  void read(const std::string& name) {
    const Value& v = values_.at(name);
    data_name_ = name;
    src_ = v.layer;
    shape_ = v.shape;
    flat_ = v.flat;
    last_has_weights_ = v.weights;
  }

  const FloatTensor& constant_input(const onnx::NodeProto& node, int i, const char* what) {
    if (i >= node.input_size() || node.input(i).empty())
      throw UserError(where_node_, std::string("missing input ") + what);
    auto it = consts_.find(node.input(i));
    if (it == consts_.end())
      throw UserError(where_node_, std::string(what) + " ('" + node.input(i) +
                                       "') must be a constant (an initializer)");
    return it->second;
  }
  const FloatTensor* optional_constant(const onnx::NodeProto& node, int i, const char* what) {
    if (i >= node.input_size() || node.input(i).empty()) return nullptr;
    return &constant_input(node, i, what);
  }

  void constant(const onnx::NodeProto& node) {
    const Attributes attrs(node, where_node_);
    if (node.output_size() != 1 || !attrs.has("value"))
      throw UserError(where_node_, "only Constant nodes with a tensor 'value' are supported");
    consts_[node.output(0)] = onnx_import::read_tensor(attrs.get("value")->t(), where_node_);
  }

  // Layer names are unique (LayerSpec.inputs refers to them); a repeated one gets a suffix.
  config::LayerSpec simple(const std::string& kind, const onnx::NodeProto& node) {
    config::LayerSpec l;
    l.set_kind(kind);
    std::string name = layer_name(node, static_cast<int>(layers_.size()));
    for (int k = 2; names_.count(name); ++k)
      name = layer_name(node, static_cast<int>(layers_.size())) + "_" + std::to_string(k);
    names_.insert(name);
    l.set_name(name);
    return l;
  }

  std::string producer_name(int layer) const {
    return layer < 0 ? kModelInputName : layers_[layer].name();
  }

  // Fills the input shape from the tensor read (naming its producer unless it is the previous
  // layer), checks the layer through the registry and advances.
  void push(config::LayerSpec l, bool weights = false) {
    if (l.inputs_size() == 0 && src_ + 1 != static_cast<int>(layers_.size()))
      l.add_inputs(producer_name(src_));
    if (l.in_channels() == 0) {
      l.set_in_channels(shape_.channels);
      l.set_in_height(shape_.height);
      l.set_in_width(shape_.width);
    }
    std::unique_ptr<Layer> probe;
    try {
      probe = make_layer(l, "layer");
    } catch (const UserError& e) {
      throw UserError(where_node_, e.field() + ": " + e.reason());
    }
    shape_ = probe->output_shape();
    if (shape_.size() < 1) throw UserError(where_node_, "the output is empty");
    l.set_out_channels(shape_.channels);
    l.set_out_height(shape_.height);
    l.set_out_width(shape_.width);
    layers_.push_back(std::move(l));
    src_ = static_cast<int>(layers_.size()) - 1;
    last_has_weights_ = weights;
  }

  // `own` = the fold belongs to the node that made the layer (a Conv's or Gemm's bias).
  config::LayerSpec& weight_layer_before(const char* what, bool own = false) {
    if (!last_has_weights_ || layers_.empty() || src_ + 1 != static_cast<int>(layers_.size()))
      throw UserError(where_node_,
                      std::string(what) + " must directly follow a Conv, Gemm or MatMul");
    if (!own && uses_[data_name_] > 1)
      throw UserError(where_node_, std::string(what) + " reads '" + data_name_ +
                                       "', which other nodes read too: it cannot be folded "
                                       "into the layer that computes it");
    return layers_.back();
  }

  void gemm(const onnx::NodeProto& node, const Attributes& attrs) {
    if (!flat_) throw UserError(where_node_, "needs a 2-D input: add a Flatten before it");
    if (attrs.integer("transA", 0) != 0)
      throw UserError(where_node_, "transA = 1 is not supported");
    const bool trans_b = attrs.integer("transB", 0) != 0;
    const float alpha = attrs.real("alpha", 1.0f), beta = attrs.real("beta", 1.0f);
    const FloatTensor& b = constant_input(node, 1, "B (the weights)");
    const FloatTensor* c = optional_constant(node, 2, "C (the bias)");
    if (b.dims.size() != 2) throw UserError(where_node_, "B must be 2-D");
    const int64_t in = trans_b ? b.dims[1] : b.dims[0], out = trans_b ? b.dims[0] : b.dims[1];
    dense(node, b, in, out, trans_b, alpha);
    if (c != nullptr) add_bias(*c, beta, true);
  }

  void matmul(const onnx::NodeProto& node) {
    if (!flat_) throw UserError(where_node_, "needs a 2-D input: add a Flatten before it");
    if (node.input(0) != data_name_)
      throw UserError(where_node_, "the activation must be the first input (X * W)");
    const FloatTensor& w = constant_input(node, 1, "the weights");
    if (w.dims.size() != 2) throw UserError(where_node_, "the weights must be 2-D");
    dense(node, w, w.dims[0], w.dims[1], false, 1.0f);
  }

  // Weights given as [out, in] (transposed) or [in, out]; stored row-major out x in.
  void dense(const onnx::NodeProto& node, const FloatTensor& t, int64_t in, int64_t out,
             bool out_major, float scale) {
    if (in != shape_.size())
      throw UserError(where_node_, "the weights take " + std::to_string(in) +
                                       " inputs, the previous layer gives " +
                                       std::to_string(shape_.size()));
    config::LayerSpec l = simple("dense", node);
    l.set_out_channels(static_cast<int>(out));
    auto* w = l.mutable_weights();
    w->Resize(static_cast<int>(in * out), 0.0f);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t i = 0; i < in; ++i)
        w->Set(static_cast<int>(o * in + i),
               scale * t.values[out_major ? o * in + i : i * out + o]);
    l.mutable_bias()->Resize(static_cast<int>(out), 0.0f);
    push(std::move(l), true);
  }

  // A bias of one value per output feature / channel (or one value for all).
  void add_bias(const FloatTensor& c, float scale, bool own = false) {
    config::LayerSpec& l = weight_layer_before("a bias Add", own);
    const int64_t n = l.out_channels();
    int64_t per_position = 1;
    for (size_t d = 0; d < c.dims.size(); ++d)
      if (c.dims[d] != 1 && c.dims[d] != n) per_position = 0;
    if (per_position == 0 || (c.size() != n && c.size() != 1))
      throw UserError(where_node_, "the constant (" + std::to_string(c.size()) +
                                       " values) is not a bias of " + std::to_string(n) +
                                       " outputs");
    for (int64_t o = 0; o < n; ++o)
      l.set_bias(static_cast<int>(o),
                 l.bias(static_cast<int>(o)) + scale * c.values[c.size() == 1 ? 0 : o]);
  }

  void add(const onnx::NodeProto& node) {
    if (node.input_size() != 2) throw UserError(where_node_, "Add needs two inputs");
    const int other = node.input(0) == data_name_ ? 1 : 0;
    if (!values_.count(node.input(other)))
      return add_bias(constant_input(node, other, "the bias"), 1.0f);
    // Two computed tensors: a residual add layer reading both (no broadcasting).
    const Value& a = values_.at(node.input(0));
    const Value& b = values_.at(node.input(1));
    if (a.shape != b.shape || a.flat != b.flat)
      throw UserError(where_node_, "adds tensors of different shapes (" + shape_text(a.shape) +
                                       " and " + shape_text(b.shape) +
                                       "); broadcasting is not supported");
    config::LayerSpec l = simple("add", node);
    l.add_inputs(producer_name(a.layer));
    l.add_inputs(producer_name(b.layer));
    l.set_in_channels(2 * a.shape.channels);
    l.set_in_height(a.shape.height);
    l.set_in_width(a.shape.width);
    push(std::move(l));
  }

  // Square kernel, equal strides, symmetric equal pads, no dilation, no auto_pad.
  struct Window {
    int kernel = 0, stride = 1, padding = 0;
  };
  Window window(const Attributes& attrs, std::optional<int64_t> kernel_from_weights) {
    Window w;
    const auto ks = attrs.integers("kernel_shape", {});
    if (!ks.empty() && (ks.size() != 2 || ks[0] != ks[1]))
      throw UserError(where_node_, "kernel_shape must be square and 2-D");
    if (ks.empty() && !kernel_from_weights) throw UserError(where_node_, "missing kernel_shape");
    w.kernel = static_cast<int>(ks.empty() ? *kernel_from_weights : ks[0]);
    const auto strides = attrs.integers("strides", {1, 1});
    if (strides.size() != 2 || strides[0] != strides[1] || strides[0] < 1)
      throw UserError(where_node_, "strides must be equal and >= 1");
    w.stride = static_cast<int>(strides[0]);
    const auto pads = attrs.integers("pads", {0, 0, 0, 0});
    if (pads.size() != 4 ||
        std::any_of(pads.begin(), pads.end(), [&](int64_t p) { return p != pads[0]; }) ||
        pads[0] < 0)
      throw UserError(where_node_, "pads must be equal on every side");
    w.padding = static_cast<int>(pads[0]);
    const auto dil = attrs.integers("dilations", {1, 1});
    if (std::any_of(dil.begin(), dil.end(), [](int64_t d) { return d != 1; }))
      throw UserError(where_node_, "dilations are not supported");
    const std::string auto_pad = attrs.text("auto_pad", "NOTSET");
    if (auto_pad != "NOTSET" && auto_pad != "VALID")
      throw UserError(where_node_,
                      "auto_pad " + auto_pad + " is not supported (use explicit pads)");
    if (attrs.integer("ceil_mode", 0) != 0)
      throw UserError(where_node_, "ceil_mode = 1 is not supported");
    if (w.kernel < 1 || w.kernel > 1024 || w.padding >= w.kernel)
      throw UserError(where_node_, "kernel must be in [1, 1024] and pads smaller than the kernel");
    return w;
  }

  void conv(const onnx::NodeProto& node, const Attributes& attrs) {
    if (flat_) throw UserError(where_node_, "needs a 4-D input (it follows a Flatten/Reshape)");
    if (attrs.integer("group", 1) != 1) throw UserError(where_node_, "group must be 1");
    const FloatTensor& w = constant_input(node, 1, "W (the weights)");
    const FloatTensor* b = optional_constant(node, 2, "B (the bias)");
    if (w.dims.size() != 4 || w.dims[2] != w.dims[3])
      throw UserError(where_node_, "W must be 4-D with a square kernel");
    if (w.dims[1] != shape_.channels)
      throw UserError(where_node_, "W takes " + std::to_string(w.dims[1]) +
                                       " input channels, the previous layer gives " +
                                       std::to_string(shape_.channels));
    const Window win = window(attrs, w.dims[2]);
    if (win.kernel != w.dims[2]) throw UserError(where_node_, "kernel_shape disagrees with W");
    config::LayerSpec l = simple("conv2d", node);
    l.set_out_channels(static_cast<int>(w.dims[0]));
    l.set_kernel(win.kernel);
    l.set_stride(win.stride);
    l.set_padding(win.padding);
    // ONNX's OIHW order is conv2d's own weight order.
    l.mutable_weights()->Add(w.values.begin(), w.values.end());
    l.mutable_bias()->Resize(static_cast<int>(w.dims[0]), 0.0f);
    push(std::move(l), true);
    if (b != nullptr) add_bias(*b, 1.0f, true);
  }

  void pool(const onnx::NodeProto& node, const Attributes& attrs) {
    if (flat_) throw UserError(where_node_, "needs a 4-D input (it follows a Flatten/Reshape)");
    const bool avg = node.op_type() == "AveragePool";
    const Window win = window(attrs, std::nullopt);
    // nocsim's average pool divides by the in-image taps only.
    if (avg && win.padding > 0 && attrs.integer("count_include_pad", 0) != 0)
      throw UserError(where_node_, "count_include_pad = 1 with padding is not supported");
    if (!avg && attrs.integer("storage_order", 0) != 0)
      throw UserError(where_node_, "storage_order = 1 is not supported");
    config::LayerSpec l = simple(avg ? "avg_pool" : "max_pool", node);
    l.set_kernel(win.kernel);
    l.set_stride(win.stride);
    l.set_padding(win.padding);
    push(std::move(l));
  }

  void global_average_pool(const onnx::NodeProto& node) {
    if (flat_) throw UserError(where_node_, "needs a 4-D input (it follows a Flatten/Reshape)");
    if (shape_.height != shape_.width)
      throw UserError(where_node_, "needs a square input, got " + shape_text(shape_));
    config::LayerSpec l = simple("avg_pool", node);
    l.set_kernel(shape_.height);
    l.set_stride(shape_.height);
    push(std::move(l));
  }

  // nocsim's feature index (channel, y, x) is NCHW flattening: nothing to compute.
  void flatten(const Attributes& attrs) {
    if (attrs.integer("axis", 1) != 1)
      throw UserError(where_node_, "only axis = 1 (keep the batch) is supported");
    flat_ = true;
  }

  void reshape(const onnx::NodeProto& node) {
    const FloatTensor& s = constant_input(node, 1, "the shape");
    const int64_t n = shape_.size();
    const bool ok = s.size() == 2 && (s.values[0] == -1 || s.values[0] >= 0) &&
                    (s.values[1] == n || (s.values[1] == -1 && s.values[0] != -1));
    if (!ok)
      throw UserError(where_node_,
                      "only a reshape to 2-D (batch x " + std::to_string(n) + ") is supported");
    flat_ = true;
  }

  void batch_norm(const onnx::NodeProto& node, const Attributes& attrs) {
    if (attrs.integer("training_mode", 0) != 0)
      throw UserError(where_node_, "training_mode = 1 is not supported (export in eval mode)");
    config::LayerSpec& l = weight_layer_before("BatchNormalization");
    const int64_t n = l.out_channels();
    const FloatTensor* p[4];
    const char* names[4] = {"scale", "B", "mean", "var"};
    for (int i = 0; i < 4; ++i) {
      p[i] = &constant_input(node, i + 1, names[i]);
      if (p[i]->size() != n)
        throw UserError(where_node_, std::string(names[i]) + " has " +
                                         std::to_string(p[i]->size()) + " values, needs " +
                                         std::to_string(n));
    }
    const float eps = attrs.real("epsilon", 1e-5f);
    // y = (x - mean) * scale / sqrt(var + eps) + B, folded into the weights and bias before.
    const int64_t per_output = l.weights_size() / n;
    for (int64_t o = 0; o < n; ++o) {
      const double s = p[0]->values[o] / std::sqrt(static_cast<double>(p[3]->values[o]) + eps);
      for (int64_t j = 0; j < per_output; ++j) {
        const int k = static_cast<int>(o * per_output + j);
        l.set_weights(k, static_cast<float>(l.weights(k) * s));
      }
      const int oi = static_cast<int>(o);
      l.set_bias(oi, static_cast<float>((l.bias(oi) - p[2]->values[o]) * s + p[1]->values[o]));
    }
  }

  // Softmax keeps the argmax: nocsim stops at the logits.
  void softmax(const Attributes& attrs) {
    const int64_t axis = attrs.integer("axis", -1);
    if (!flat_ || (axis != -1 && axis != 1))
      throw UserError(where_node_, "only a Softmax over the classes of a 2-D output is supported");
    softmax_seen_ = true;
  }

  // --- permuted-diagonal layers --------------------------------------------------------------
  void finish_layers() {
    for (auto& l : layers_) {
      if (l.kind() != "dense" && l.kind() != "conv2d") continue;
      const bool conv = l.kind() == "conv2d";
      const int kk = conv ? l.kernel() * l.kernel() : 1;
      const int n = conv ? l.in_channels() : l.in_channels() * l.in_height() * l.in_width();
      const std::vector<float> w(l.weights().begin(), l.weights().end());
      const onnx_import::StackedMatrices a{w, kk, l.out_channels(), n};
      int p = onnx_import::find_pd_block(a);
      if (p == 0 && !conv && options_.pd_block > 1) p = options_.pd_block;
      if (p == 0) continue;
      const onnx_import::PdWeights pd = onnx_import::project_to_pd(a, p);
      l.set_kind(conv ? "pd_conv2d" : "pd_dense");
      l.set_block_size(p);
      l.mutable_weights()->Assign(pd.values.begin(), pd.values.end());
      l.mutable_offsets()->Assign(pd.offsets.begin(), pd.offsets.end());
    }
  }

  const onnx::ModelProto& model_;
  const onnx::GraphProto& g_;
  const std::string where_;
  const OnnxImportOptions options_;
  std::string where_node_;
  std::map<std::string, FloatTensor> consts_;
  // A computed tensor: the layer whose output it is (-1 = the graph input), its shape, whether a
  // Flatten/Reshape made it 2-D, and whether that layer has weights (a bias or BN may fold in).
  struct Value {
    int layer = -1;
    TensorShape shape;
    bool flat = false, weights = false;
  };
  std::map<std::string, Value> values_;
  std::map<std::string, int> uses_;  // per tensor name: how many node inputs read it
  std::set<std::string> names_{kModelInputName};
  // The tensor the current node reads.
  TensorShape input_, shape_;
  bool flat_ = false, softmax_seen_ = false, last_has_weights_ = false;
  int src_ = -1;
  std::string data_name_;
  std::vector<config::LayerSpec> layers_;
};

}  // namespace

bool is_onnx_path(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".onnx") == 0;
}

config::ModelFile import_onnx_bytes(const std::string& bytes, const std::string& where,
                                    const OnnxImportOptions& options) {
  if (options.pd_block < 0 || options.pd_block == 1 || options.pd_block > 1024)
    throw UserError("--pd-block",
                    "p must be in [2, 1024], got " + std::to_string(options.pd_block));
  if (bytes.empty()) throw UserError(where, "empty ONNX file");
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    throw UserError(where, "not an ONNX model (protobuf parse failed; truncated or corrupt)");
  if (!model.has_graph()) throw UserError(where, "not an ONNX model (no graph)");
  if (model.functions_size() > 0) throw UserError(where, "model-local functions are not supported");
  config::ModelFile f = GraphImporter(model, where, options).run();
  // The same checks as a nocsim model file (weight counts, offsets, the shape chain).
  Model::from_spec(f, 0, where);
  return f;
}

config::ModelFile import_onnx_file(const std::string& path, const OnnxImportOptions& options) {
  return import_onnx_bytes(read_input_file(path, "model.file", "ONNX file", kMaxProtobufBytes),
                           path, options);
}

}  // namespace nocsim::models
