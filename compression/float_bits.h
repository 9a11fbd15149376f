#pragma once
// IEEE-754 half precision conversions written out (no F16C dependency), round to nearest even.
#include <bit>
#include <cmath>
#include <cstdint>

namespace nocsim::compression {

// Largest finite fp16 is 65504; |x| >= 65520 rounds past it. With `saturate` such values and
// +-Inf become +-65504, otherwise +-Inf. NaN stays a quiet NaN with its sign.
inline uint16_t float_to_half(float f, bool saturate) {
  const uint32_t x = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u | ((ax >> 13) & 0x1ffu));
  if (ax >= 0x477ff000u) return static_cast<uint16_t>(sign | (saturate ? 0x7bffu : 0x7c00u));
  if (ax < 0x38800000u) {
    // Below 2^-14: a multiple of 2^-24 (scaling by 2^24 is exact); 1024 becomes the smallest
    // normal.
    const float a = std::bit_cast<float>(ax) * 16777216.0f;
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(a)));
  }
  const uint32_t base = ax - 0x38000000u;  // rebias the exponent from 127 to 15
  uint32_t h = base >> 13;
  const uint32_t rem = base & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;
  return static_cast<uint16_t>(sign | h);
}

inline float half_to_float(uint16_t h) {
  const uint32_t sign = uint32_t{h & 0x8000u} << 16;
  const uint32_t e = (h >> 10) & 0x1fu;
  const uint32_t m = h & 0x3ffu;
  if (e == 0) {
    const float v = static_cast<float>(m) * 0x1p-24f;
    return sign ? -v : v;
  }
  if (e == 31) return std::bit_cast<float>(sign | 0x7f800000u | (m << 13));
  return std::bit_cast<float>(sign | ((e + 112u) << 23) | (m << 13));
}

}  // namespace nocsim::compression
