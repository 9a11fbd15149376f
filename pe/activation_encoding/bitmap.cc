// One presence bit per position, then the non-zero values: n + nnz * a bits. It wins over dense
// once more than 1/a of the values are zero, and its size does not depend on where the zeros are.
#include "pe/activation_encoding/activation_encoding.h"

namespace nocsim::pe {
namespace {

class Bitmap : public ActivationEncoding {
 public:
  explicit Bitmap(const AcceleratorParams& p) : value_bits_(p.activation_bits) {}
  uint64_t bits(uint64_t n, std::span<const float> values) const override {
    return n + count_nonzero(values) * value_bits_;
  }

 private:
  uint64_t value_bits_;
};

NOCSIM_REGISTER(activation_encoding_registry(), Bitmap, "bitmap",
                "a presence bit per value, then the non-zero values");

}  // namespace
}  // namespace nocsim::pe
