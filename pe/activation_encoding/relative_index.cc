// EIE's relative indexing applied to activations: each non-zero value travels with the number of
// zeros before it (since the previous entry) in k bits (accelerator.activation_encoding.
// index_bits). A run of zeros longer than 2^k - 1 takes padding entries: a zero value whose index
// is 2^k - 1, so each padding entry stands for 2^k positions (2^k - 1 zeros and its own zero).
// Zeros after the last non-zero cost nothing (the receiver knows the slice's length). Entry size
// a + k bits; the size depends on where the zeros are, not only on how many there are.
#include "pe/activation_encoding/activation_encoding.h"

namespace nocsim::pe {
namespace {

class RelativeIndex : public ActivationEncoding {
 public:
  explicit RelativeIndex(const AcceleratorParams& p)
      : entry_bits_(static_cast<uint64_t>(p.activation_bits) + p.activation_index_bits),
        span_(uint64_t{1} << p.activation_index_bits) {}

  uint64_t bits(uint64_t, std::span<const float> values) const override {
    uint64_t entries = 0, zeros = 0;
    for (float v : values) {
      if (v == 0.0f) {
        ++zeros;
        continue;
      }
      entries += 1 + zeros / span_;
      zeros = 0;
    }
    return entries * entry_bits_;
  }

 private:
  uint64_t entry_bits_;
  uint64_t span_;  // positions one padding entry stands for
};

NOCSIM_REGISTER(activation_encoding_registry(), RelativeIndex, "index",
                "each non-zero value with a k-bit count of the zeros before it (EIE's relative "
                "index; padding entries for longer runs)");

}  // namespace
}  // namespace nocsim::pe
