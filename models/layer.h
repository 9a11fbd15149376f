#pragma once
// One layer of a model, built by name from a config::LayerSpec through layer_registry(). The layer
// kind is an extension point: a new kind is one file in models/layers/ with one NOCSIM_REGISTER
// line.
//
// Lifecycle: the constructor reads and checks the shapes only (cheap, so that zoo catalogs such as
// VGG-16 can be described without allocating weights); allocate() sizes the parameters (zeros);
// initialize() draws random weights/offsets; load() takes them from a spec.
//
// Activations are batches in models::Matrix (samples as rows, see tensor.h).
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "configs/registry.h"
#include "configs/schema/model_file.pb.h"
#include "models/row_kernel.h"
#include "models/tensor.h"

namespace nocsim {
class Rng;
}

namespace nocsim::models {

struct TensorShape {
  int channels = 1;
  int height = 1;
  int width = 1;
  int64_t size() const { return static_cast<int64_t>(channels) * height * width; }
  bool operator==(const TensorShape&) const = default;
};
// "16x28x28" (channels x height x width).
std::string shape_text(TensorShape s);

class Layer : public RowKernel {
 public:
  explicit Layer(const config::LayerSpec& spec);
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  const std::string& kind() const { return spec_.kind(); }
  const std::string& name() const { return spec_.name(); }
  TensorShape input_shape() const { return in_; }
  TensorShape output_shape() const { return out_; }
  int kernel() const { return spec_.kernel(); }
  int stride() const { return spec_.stride(); }
  int padding() const { return spec_.padding(); }
  // Reads several producers' outputs, concatenated along channels (models/layer_graph.h); every
  // other kind reads one.
  virtual bool joins_inputs() const { return false; }
  // Permuted-diagonal block size p (1 for dense and weightless layers).
  virtual int block_size() const { return 1; }
  // One offset per p x p block (empty for dense layers); order in models/README.md.
  virtual std::span<const uint32_t> offsets() const { return {}; }

  // Pruned layers (LayerSpec.density): the fraction of weights kept, 1 when not pruned. Only kinds
  // with unstructured weights take one (supports_density); their pruned weights are exact zeros.
  double density() const { return spec_.has_density() ? spec_.density() : 1.0; }
  void set_density(double d) { spec_.set_density(d); }
  virtual bool supports_density() const { return false; }

  // Stored weight count and bias count (known before allocate()).
  virtual int64_t num_weights() const { return 0; }
  virtual int64_t num_bias() const { return 0; }
  // Multiply-accumulates per sample with a dense input.
  virtual int64_t macs() const { return 0; }
  // Output rows are grouped into block-rows (p output features or p output channels); a PE tile
  // computes whole block-rows. Weightless layers have one block-row.
  virtual int num_block_rows() const { return 1; }

  virtual void allocate() {}
  virtual void initialize(Rng& /*rng*/) {}
  // Parameters from `spec` (weights, bias, offsets); throws UserError(field, reason) on mismatch.
  virtual void load(const config::LayerSpec& spec);
  // The spec this layer was built from, with shapes filled in and (optionally) its parameters.
  virtual config::LayerSpec to_spec(bool with_parameters) const;

  // Flat parameter vectors (order documented per kind in models/README.md) and their gradients.
  virtual std::span<float> weights() { return {}; }
  virtual std::span<float> bias() { return {}; }
  virtual std::span<float> weight_gradients() { return {}; }
  virtual std::span<float> bias_gradients() { return {}; }
  std::span<const float> weights() const { return const_cast<Layer*>(this)->weights(); }
  std::span<const float> bias() const { return const_cast<Layer*>(this)->bias(); }
  // Replaces the weights (e.g. by a codec's decoded ones); throws std::invalid_argument on size.
  void set_weights(std::span<const float> w);
  void zero_gradients();

  // Batched forward: y (B x out) from x (B x in).
  virtual void forward(const Matrix& x, Matrix& y) const = 0;
  // Given x, y = forward(x) and dy = dL/dy: adds dL/dparameters to the gradients and, when dx is
  // not null, writes dL/dx.
  virtual void backward(const Matrix& x, const Matrix& y, const Matrix& dy, Matrix* dx) = 0;
  // One sample, only the outputs of block-rows [begin, end); other outputs are left untouched.
  // Zero inputs are skipped; returns the MACs actually performed.
  uint64_t forward_rows(std::span<const float> x, std::span<float> y, int begin,
                        int end) const override = 0;
  uint64_t forward_one(std::span<const float> x, std::span<float> y) const {
    return forward_rows(x, y, 0, num_block_rows());
  }

  // The layer as a linear map, for kernels other than the float ones (models/quantized_model.h):
  // f(output feature, input feature, weight index) once per product that forward_rows performs
  // on an input without zeros, output after output. Weightless layers have none.
  using ConnectionFn = std::function<void(int64_t out, int64_t in, int64_t weight)>;
  virtual void for_each_connection(const ConnectionFn& /*f*/) const {}
  // The output features that block-rows [begin, end) of a weight layer compute (contiguous:
  // p outputs, or p output channels at every position).
  std::pair<int64_t, int64_t> block_row_outputs(int begin, int end) const;

 protected:
  // Hook after the weights changed from outside (permuted-diagonal layers re-zero padding).
  virtual void weights_changed() {}

  config::LayerSpec spec_;  // shapes only, never parameters
  TensorShape in_, out_;
};

using LayerRegistry = Registry<Layer, const config::LayerSpec&>;
LayerRegistry& layer_registry();

// Builds a layer (shapes only) from `spec`; errors name `field` ("layers[2]").
std::unique_ptr<Layer> make_layer(const config::LayerSpec& spec, const std::string& field);

}  // namespace nocsim::models
