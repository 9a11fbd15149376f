#include <algorithm>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"

namespace nocsim::compression {

std::vector<size_t> even_bounds(size_t n, size_t chunk) {
  std::vector<size_t> b{0};
  if (n == 0) return b;
  if (chunk == 0) chunk = n;
  for (size_t at = chunk; at < n; at += chunk) b.push_back(at);
  b.push_back(n);
  return b;
}

void BitWriter::append(const Bitstream& s) {
  BitReader r(s);
  uint64_t left = s.bits;
  while (left > 0) {
    const unsigned n = static_cast<unsigned>(std::min<uint64_t>(left, 56));
    write(r.read_unchecked(n), n);
    left -= n;
  }
}

Bitstream BitWriter::finish() {
  Bitstream out;
  out.bits = bits();
  const unsigned tail = (n_ + 7) / 8;
  const size_t at = bytes_.size();
  bytes_.resize(at + tail);
  for (unsigned i = 0; i < tail; ++i) bytes_[at + i] = static_cast<uint8_t>(acc_ >> (8 * i));
  out.bytes = std::move(bytes_);
  bytes_.clear();
  acc_ = 0;
  n_ = 0;
  return out;
}

Bitstream BitReader::read_bits(uint64_t nbits, const char* what) {
  require(nbits, what);
  BitWriter w;
  w.reserve_bits(nbits);
  uint64_t left = nbits;
  while (left > 0) {
    const unsigned n = static_cast<unsigned>(std::min<uint64_t>(left, 56));
    w.write(read_unchecked(n), n);
    left -= n;
  }
  return w.finish();
}

}  // namespace nocsim::compression
