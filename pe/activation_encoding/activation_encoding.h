#pragma once
// How a message of activations is laid out on the wire (accelerator.activation_encoding.format),
// one kind per file in this folder, registered by name:
//
//   NOCSIM_REGISTER(activation_encoding_registry(), Bitmap, "bitmap", "presence bits + values");
//
// An encoding only counts bits: the tiles' buffers hold the activations decoded (dense), so the
// encoding changes what crosses the NoC (flits, link and router energy, latency), not the buffer
// sizes or the spill rule. Zero means exactly zero (ReLU's and max pooling's zeros): a value that
// only the receiver's rounding to the datapath format turns into zero still travels, because the
// sender does not know the tensor's scale.
#include <cstdint>
#include <span>

#include "configs/registry.h"
#include "pe/accelerator_params.h"

namespace nocsim::pe {

class ActivationEncoding {
 public:
  virtual ~ActivationEncoding() = default;
  // Bits of `n` activations on the wire. `values` holds them when the run has them (functional
  // runs); it is empty in traffic-only runs, which only encodings that need no values accept.
  virtual uint64_t bits(uint64_t n, std::span<const float> values) const = 0;
  virtual bool needs_values() const { return true; }
};

using ActivationEncodingRegistry = Registry<ActivationEncoding, const AcceleratorParams&>;
ActivationEncodingRegistry& activation_encoding_registry();

// Non-zero values of `values`.
uint64_t count_nonzero(std::span<const float> values);

}  // namespace nocsim::pe
