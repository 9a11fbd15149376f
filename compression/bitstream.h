#pragma once
// A bit string and an encoded layer. Bits are packed LSB-first into bytes; `bits` is exact (the
// NoC packet carrying a chunk knows its payload length), `bytes` holds ceil(bits / 8) bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nocsim::compression {

struct Bitstream {
  std::vector<uint8_t> bytes;
  uint64_t bits = 0;
};

// One layer after encoding: a header (state shared by every chunk: scales, codebook, Huffman
// table) and independently decodable chunks; chunk i covers weights [bounds[i], bounds[i + 1]).
struct EncodedLayer {
  Bitstream header;
  std::vector<Bitstream> chunks;
  std::vector<size_t> bounds;

  size_t num_weights() const { return bounds.empty() ? 0 : bounds.back(); }
  uint64_t header_bits() const { return header.bits; }
  uint64_t chunk_bits() const {
    uint64_t sum = 0;
    for (const auto& c : chunks) sum += c.bits;
    return sum;
  }
  uint64_t total_bits() const { return header_bits() + chunk_bits(); }
  // (header + all chunks) / weights: what the NoC carries per weight, headers included.
  double bits_per_weight() const {
    return num_weights() == 0
               ? 0.0
               : static_cast<double>(total_bits()) / static_cast<double>(num_weights());
  }
};

// Chunk boundaries for `n` weights cut every `chunk` weights (the last chunk may be shorter);
// chunk == 0 gives one chunk for the whole layer.
std::vector<size_t> even_bounds(size_t n, size_t chunk);

}  // namespace nocsim::compression
