#pragma once
// Appends bit fields LSB-first. Fields go through a 64-bit accumulator that spills eight bytes at
// a time, so encoders write one field per weight without per-field allocation.
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "compression/bitstream.h"

namespace nocsim::compression {

static_assert(std::endian::native == std::endian::little, "bit I/O assumes a little-endian host");

class BitWriter {
 public:
  void reserve_bits(uint64_t bits) { bytes_.reserve(bytes_.size() + bits / 8 + 16); }

  // Writes the low `nbits` (0..64) bits of `value`.
  void write(uint64_t value, unsigned nbits) {
    if (nbits == 0) return;
    if (nbits < 64) value &= (uint64_t{1} << nbits) - 1;
    acc_ |= value << n_;
    if (n_ + nbits >= 64) {
      const size_t at = bytes_.size();
      bytes_.resize(at + 8);
      std::memcpy(bytes_.data() + at, &acc_, 8);
      const unsigned used = 64 - n_;
      acc_ = used < 64 ? value >> used : 0;
      n_ = n_ + nbits - 64;
    } else {
      n_ += nbits;
    }
  }
  void write_float(float f) { write(std::bit_cast<uint32_t>(f), 32); }
  // Appends another bit string bit-exactly.
  void append(const Bitstream& s);

  uint64_t bits() const { return bytes_.size() * 8 + n_; }

  // Returns the bits written so far and leaves the writer empty.
  Bitstream finish();

 private:
  std::vector<uint8_t> bytes_;
  uint64_t acc_ = 0;
  unsigned n_ = 0;  // pending bits in acc_, always < 64
};

}  // namespace nocsim::compression
