// The round-robin helpers every allocator uses. Grants move a pointer to one past the chosen
// position without a wrap test, so a pointer equal to the width (64 for a full word) must read as
// 0; pick_from picks its word without a branch and must still agree with a plain scan.
#include "noc/router_pipeline.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "configs/rng.h"

namespace nocsim::noc::detail {
namespace {

// The first set bit of `mask` at or after `ptr` (a pointer of 64 or more starts at 0), wrapping.
uint32_t scan(uint64_t mask, uint32_t ptr) {
  const uint32_t start = ptr >= 64 ? 0 : ptr;
  for (uint32_t k = 0; k < 64; ++k) {
    const uint32_t i = (start + k) % 64;
    if (mask >> i & 1u) return i;
  }
  return 64;
}

TEST(PickFrom, AgreesWithAPlainScanForEveryPointerUpToTheWidth) {
  Rng rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    // Sparse and dense words, and words whose bits all lie below or above the pointer.
    uint64_t mask = rng.next();
    if (trial % 3 == 1) mask &= rng.next() & rng.next();
    if (trial % 5 == 2) mask >>= rng.next() % 64;
    if (mask == 0) mask = 1ull << (rng.next() % 64);
    for (uint32_t ptr = 0; ptr <= 64; ++ptr)
      ASSERT_EQ(pick_from(mask, ptr), scan(mask, ptr)) << std::hex << mask << " ptr " << ptr;
  }
}

TEST(PickFrom, APointerPastTheLastPositionIsTheFirst) {
  // Five ports: after a grant to port 4 the pointer is 5, and the next choice starts at port 0.
  const uint64_t ports = 0b10101;
  EXPECT_EQ(pick_from(ports, 5), pick_from(ports, 0));
  EXPECT_EQ(pick_from(ports, 5), 0u);
  EXPECT_EQ(pick_from(ports, 3), 4u);
  EXPECT_EQ(pick_from(1ull << 63, 64), 63u);
  EXPECT_EQ(pick_from(1ull | 1ull << 63, 64), 0u);
}

TEST(RrDistance, APointerEqualToTheCountIsZero) {
  for (uint32_t n = 1; n <= 70; ++n) {
    for (uint32_t a = 0; a < n; ++a) {
      EXPECT_EQ(rr_distance(a, n, n), rr_distance(a, 0, n));
      EXPECT_EQ(rr_distance(a, 0, n), a);
      for (uint32_t ptr = 0; ptr < n; ++ptr) EXPECT_EQ(rr_distance(a, ptr, n), (a + n - ptr) % n);
    }
  }
}

}  // namespace
}  // namespace nocsim::noc::detail
