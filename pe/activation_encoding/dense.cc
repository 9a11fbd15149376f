// Every value at the datapath's activation precision, zeros included: what the machine sends when
// it does not exploit activation sparsity on the wire (the tiles still skip zero inputs).
#include "pe/activation_encoding/activation_encoding.h"

namespace nocsim::pe {
namespace {

class Dense : public ActivationEncoding {
 public:
  explicit Dense(const AcceleratorParams& p) : value_bits_(p.activation_bits) {}
  uint64_t bits(uint64_t n, std::span<const float>) const override { return n * value_bits_; }
  bool needs_values() const override { return false; }

 private:
  uint64_t value_bits_;
};

NOCSIM_REGISTER(activation_encoding_registry(), Dense, "dense",
                "every value at the activation precision, zeros included");

}  // namespace
}  // namespace nocsim::pe
