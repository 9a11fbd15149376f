// EIE's relative indexing (pe/relative_index.h) applied to activations: each non-zero value
// travels with a k-bit count of the zeros before it (accelerator.activation_encoding.index_bits),
// padding entries cover longer runs. Entry size a + k bits; the size depends on where the zeros
// are, not only on how many there are.
#include "pe/relative_index.h"
#include "pe/activation_encoding/activation_encoding.h"

namespace nocsim::pe {
namespace {

class RelativeIndex : public ActivationEncoding {
 public:
  explicit RelativeIndex(const AcceleratorParams& p)
      : entry_bits_(static_cast<uint64_t>(p.activation_bits) + p.activation_index_bits),
        index_bits_(p.activation_index_bits) {}

  uint64_t bits(uint64_t, std::span<const float> values) const override {
    return entry_bits_ *
           relative_index_entries(
               values.size(), [&](uint64_t i) { return values[i] != 0.0f; }, index_bits_);
  }

 private:
  uint64_t entry_bits_;
  uint32_t index_bits_;
};

NOCSIM_REGISTER(activation_encoding_registry(), RelativeIndex, "index",
                "each non-zero value with a k-bit count of the zeros before it (EIE's relative "
                "index; padding entries for longer runs)");

}  // namespace
}  // namespace nocsim::pe
