#pragma once
// Reads bit fields LSB-first from a Bitstream. Every public read is bounds-checked and throws
// DecodeError past the end; hot loops call require(n) once for a run of fields and then
// read_unchecked(), which never touches memory outside the stream's bytes either.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "compression/bitstream.h"
#include "compression/decode_error.h"

namespace nocsim::compression {

class BitReader {
 public:
  // `bits` may not exceed bytes * 8 (a mismatched stream is a DecodeError).
  BitReader(const uint8_t* data, size_t bytes, uint64_t bits)
      : data_(data), nbytes_(bytes), end_(bits) {
    if (bits > static_cast<uint64_t>(bytes) * 8) {
      throw DecodeError("stream claims " + std::to_string(bits) + " bits but holds " +
                        std::to_string(bytes) + " bytes");
    }
  }
  explicit BitReader(const Bitstream& s) : BitReader(s.bytes.data(), s.bytes.size(), s.bits) {}

  uint64_t position() const { return pos_; }
  uint64_t remaining() const { return end_ - pos_; }
  bool at_end() const { return pos_ == end_; }

  // Throws unless at least `nbits` remain; `what` names the field for the message.
  void require(uint64_t nbits, const char* what) const {
    if (nbits > remaining()) {
      throw DecodeError(std::string("truncated stream: ") + what + " needs " +
                        std::to_string(nbits) + " bits, " + std::to_string(remaining()) + " left");
    }
  }

  // Reads `nbits` (0..57) bits; the caller has checked require().
  uint64_t read_unchecked(unsigned nbits) {
    const uint64_t v = peek(nbits);
    pos_ += nbits;
    return v;
  }

  // Moves past `nbits` bits the caller has checked.
  void advance_unchecked(unsigned nbits) { pos_ += nbits; }

  // Next `nbits` (0..57) bits without consuming them; bits past the end read as zero.
  uint64_t peek(unsigned nbits) const {
    const uint64_t byte = pos_ >> 3;
    uint64_t word = 0;
    if (byte + 8 <= nbytes_) {
      std::memcpy(&word, data_ + byte, 8);
    } else {
      for (uint64_t i = byte; i < nbytes_; ++i) word |= uint64_t{data_[i]} << (8 * (i - byte));
    }
    word >>= (pos_ & 7);
    return nbits == 0 ? 0 : word & (~uint64_t{0} >> (64 - nbits));
  }

  // Checked reads.
  uint64_t read(unsigned nbits, const char* what) {
    require(nbits, what);
    if (nbits <= 57) return read_unchecked(nbits);
    const uint64_t lo = read_unchecked(32);
    return lo | (read_unchecked(nbits - 32) << 32);
  }
  float read_float(const char* what) {
    return std::bit_cast<float>(static_cast<uint32_t>(read(32, what)));
  }
  void skip(uint64_t nbits, const char* what) {
    require(nbits, what);
    pos_ += nbits;
  }
  // Copies the next `nbits` bits into a new Bitstream.
  Bitstream read_bits(uint64_t nbits, const char* what);

  // A well-formed stream is consumed exactly; leftover bits mean a mismatched stream.
  void expect_end(const char* what) const {
    if (!at_end()) {
      throw DecodeError(std::string(what) + ": " + std::to_string(remaining()) +
                        " unexpected trailing bits");
    }
  }

 private:
  const uint8_t* data_;
  size_t nbytes_;
  uint64_t end_;
  uint64_t pos_ = 0;
};

}  // namespace nocsim::compression
