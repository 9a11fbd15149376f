#pragma once
// EIE's relative indexing (Han et al., ISCA 2016), shared by the activation wire format and the
// EIE tile's weight columns: each non-zero is stored with the count of zeros before it in k bits;
// a run longer than 2^k - 1 zeros takes a padding entry (a zero stored with index 2^k - 1) per
// 2^k positions; zeros after the last non-zero cost nothing (the length is known).
#include <cstdint>

namespace nocsim::pe {

// Entries (non-zeros + padding) for positions 0..n-1, `nonzero(i)` telling which hold one.
template <class NonZero>
uint64_t relative_index_entries(uint64_t n, NonZero&& nonzero, uint32_t index_bits) {
  const uint64_t span = uint64_t{1} << index_bits;  // positions one padding entry stands for
  uint64_t entries = 0, zeros = 0;
  for (uint64_t i = 0; i < n; ++i) {
    if (!nonzero(i)) {
      ++zeros;
      continue;
    }
    entries += 1 + zeros / span;
    zeros = 0;
  }
  return entries;
}

}  // namespace nocsim::pe
