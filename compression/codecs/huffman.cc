// huffman: canonical Huffman coding of fixed-width symbols, lossless. After another stage it codes
// that stage's chunks as symbols of the stage's natural width (k-means indices), which is Deep
// Compression's last step; alone it codes the bytes of raw fp32 weights. The code-length table
// (lengths <= 20) goes in the layer header; every chunk decodes on its own.
//
// Header: [inner header length: 32][inner header][symbol width w: 5][used: 17][dense: 1]
//         dense: 2^w lengths of 5 bits; sparse: used x (symbol: w, length: 5), symbols ascending.
// Chunk:  [tail length t < w: 4][tail: t bits][codewords], codewords stored bit-reversed so the
//         decoder indexes a lookup table with the next 11 stream bits.
#include <algorithm>
#include <bit>
#include <mutex>
#include <queue>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "compression/bitstream_coder.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

constexpr unsigned kMaxLen = 20;
constexpr unsigned kLutBits = 11;

uint32_t reverse(uint32_t code, unsigned len) {
  uint32_t r = 0;
  for (unsigned i = 0; i < len; ++i) r |= ((code >> i) & 1u) << (len - 1 - i);
  return r;
}

// Huffman code lengths, limited to kMaxLen by halving the frequencies until the tree fits.
std::vector<uint8_t> code_lengths(std::vector<uint64_t> freq) {
  const size_t n = freq.size();
  std::vector<uint8_t> len(n, 0);
  std::vector<uint32_t> used;
  for (uint32_t s = 0; s < n; ++s) {
    if (freq[s]) used.push_back(s);
  }
  if (used.size() == 1) len[used[0]] = 1;
  if (used.size() <= 1) return len;
  for (;;) {
    using Node = std::pair<uint64_t, uint32_t>;  // (weight, id); ids break ties deterministically
    std::priority_queue<Node, std::vector<Node>, std::greater<Node>> heap;
    std::vector<uint32_t> parent(n + used.size(), 0);
    for (uint32_t s : used) heap.push({freq[s], s});
    uint32_t next = static_cast<uint32_t>(n);
    while (heap.size() > 1) {
      const Node a = heap.top();
      heap.pop();
      const Node b = heap.top();
      heap.pop();
      parent[a.second] = parent[b.second] = next;
      heap.push({a.first + b.first, next++});
    }
    const uint32_t root = next - 1;
    // Internal nodes are created in order, so a parent always has a larger id than its children.
    std::vector<uint8_t> depth(next, 0);
    for (uint32_t id = root; id-- > n;) depth[id] = depth[parent[id]] + 1;
    unsigned longest = 0;
    for (uint32_t s : used) {
      len[s] = static_cast<uint8_t>(depth[parent[s]] + 1);
      longest = std::max<unsigned>(longest, len[s]);
    }
    if (longest <= kMaxLen) return len;
    for (uint32_t s : used) freq[s] = (freq[s] + 1) / 2;
  }
}

// Canonical codes (RFC 1951 order: by length, then symbol), bit-reversed for LSB-first output.
std::vector<uint32_t> canonical_codes(const std::vector<uint8_t>& len) {
  uint32_t count[kMaxLen + 2] = {}, next[kMaxLen + 2] = {};
  for (uint8_t l : len) count[l]++;
  count[0] = 0;
  for (unsigned l = 1; l <= kMaxLen; ++l) next[l] = (next[l - 1] + count[l - 1]) << 1;
  std::vector<uint32_t> codes(len.size(), 0);
  for (size_t s = 0; s < len.size(); ++s) {
    if (len[s]) codes[s] = reverse(next[len[s]]++, len[s]);
  }
  return codes;
}

class Table {
 public:
  // Validates the lengths (a complete prefix code, or a single 1-bit code) and builds the LUT.
  Table(unsigned width, std::vector<uint8_t> len) : width_(width), len_(std::move(len)) {
    uint64_t kraft = 0;
    size_t used = 0;
    for (uint8_t l : len_) {
      if (l == 0) continue;
      if (l > kMaxLen) throw DecodeError("Huffman code length above 20");
      kraft += uint64_t{1} << (kMaxLen - l);
      max_len_ = std::max<unsigned>(max_len_, l);
      ++used;
    }
    const bool single = used == 1 && max_len_ == 1;
    if (used > 0 && !single && kraft != (uint64_t{1} << kMaxLen)) {
      throw DecodeError("Huffman table is not a complete prefix code");
    }
    codes_ = canonical_codes(len_);
    lut_.assign(size_t{1} << kLutBits, 0);
    for (unsigned l = 1; l <= kMaxLen; ++l) first_[l] = 0;
    // Symbols sorted by (length, symbol) with one counting pass: a 2^16-symbol table is built per
    // header, so this stays linear.
    for (uint8_t l : len_) count_[l] += l != 0;
    uint32_t code = 0, index = 0;
    for (unsigned l = 1; l <= kMaxLen; ++l) {
      first_index_[l] = index;
      first_[l] = code;
      index += count_[l];
      code = (code + count_[l]) << 1;
    }
    sorted_.resize(index);
    uint32_t fill_at[kMaxLen + 1];
    std::copy(std::begin(first_index_), std::end(first_index_), fill_at);
    for (size_t s = 0; s < len_.size(); ++s) {
      if (len_[s]) sorted_[fill_at[len_[s]]++] = static_cast<uint16_t>(s);
    }
    for (size_t s = 0; s < len_.size(); ++s) {
      const unsigned l = len_[s];
      if (l == 0 || l > kLutBits) continue;
      for (uint32_t fill = codes_[s]; fill < lut_.size(); fill += 1u << l) {
        lut_[fill] = static_cast<uint32_t>(s) | (l << 16);
      }
    }
  }

  unsigned width() const { return width_; }
  const std::vector<uint8_t>& lengths() const { return len_; }
  const std::vector<uint32_t>& codes() const { return codes_; }

  // Decodes every codeword of `in` into `out` (symbols of width()).
  void decode(BitReader& in, BitWriter& out) const {
    const uint32_t* lut = lut_.data();
    constexpr unsigned kWindow = 57;
    constexpr uint64_t kIndexMask = (uint64_t{1} << kLutBits) - 1;
    // Bulk path: one 57-bit window serves several codewords while at least a full LUT index of
    // real stream bits is left in it; codes longer than the LUT go through slow().
    while (in.remaining() >= kWindow) {
      const uint64_t window = in.peek(kWindow);
      unsigned used = 0;
      while (kWindow - used >= kLutBits) {
        const uint32_t e = lut[(window >> used) & kIndexMask];
        const unsigned l = e >> 16;
        if (l == 0) break;
        used += l;
        out.write(e & 0xffffu, width_);
      }
      if (used == 0) {
        out.write(slow(in), width_);
      } else {
        in.advance_unchecked(used);
      }
    }
    while (!in.at_end()) {
      const uint32_t e = lut[in.peek(kLutBits)];
      const unsigned l = e >> 16;
      if (l != 0 && l <= in.remaining()) {
        in.advance_unchecked(l);
        out.write(e & 0xffffu, width_);
      } else {
        out.write(slow(in), width_);
      }
    }
  }

 private:
  // Canonical decoding one bit at a time, for codes longer than the LUT and for error reporting.
  uint32_t slow(BitReader& in) const {
    const uint64_t bits = in.peek(kMaxLen);
    uint32_t code = 0;
    for (unsigned l = 1; l <= max_len_ && l <= in.remaining(); ++l) {
      code = (code << 1) | static_cast<uint32_t>((bits >> (l - 1)) & 1u);
      if (code - first_[l] < count_[l]) {
        in.advance_unchecked(l);
        return sorted_[first_index_[l] + code - first_[l]];
      }
    }
    throw DecodeError("invalid or truncated Huffman codeword");
  }

  unsigned width_;
  std::vector<uint8_t> len_;
  std::vector<uint32_t> codes_;
  std::vector<uint32_t> lut_;  // symbol | length << 16; length 0 = not resolved by the LUT
  unsigned max_len_ = 0;
  uint32_t first_[kMaxLen + 1] = {}, count_[kMaxLen + 1] = {}, first_index_[kMaxLen + 1] = {};
  std::vector<uint16_t> sorted_;
};

void write_table(BitWriter& h, const Table& t) {
  const auto& len = t.lengths();
  size_t used = 0;
  for (uint8_t l : len) used += l != 0;
  h.write(t.width(), 5);
  h.write(used, 17);
  const bool dense = len.size() * 5 <= used * (t.width() + 5);
  h.write(dense ? 1 : 0, 1);
  for (size_t s = 0; s < len.size(); ++s) {
    if (dense) {
      h.write(len[s], 5);
    } else if (len[s]) {
      h.write(s, t.width());
      h.write(len[s], 5);
    }
  }
}

Table read_table(BitReader& r) {
  const unsigned width = static_cast<unsigned>(r.read(5, "Huffman symbol width"));
  if (width < 1 || width > 16) throw DecodeError("Huffman symbol width must be 1..16");
  const size_t n = size_t{1} << width;
  const size_t used = r.read(17, "Huffman symbol count");
  if (used > n) throw DecodeError("Huffman table lists more symbols than the alphabet has");
  const bool dense = r.read(1, "Huffman table format") != 0;
  std::vector<uint8_t> len(n, 0);
  if (dense) {
    r.require(5 * n, "Huffman code lengths");
    for (auto& l : len) l = static_cast<uint8_t>(r.read_unchecked(5));
  } else {
    r.require(used * (width + 5), "Huffman code lengths");
    size_t prev = 0;
    for (size_t i = 0; i < used; ++i) {
      const size_t s = r.read_unchecked(width);
      const auto l = static_cast<uint8_t>(r.read_unchecked(5));
      if ((i > 0 && s <= prev) || l == 0) throw DecodeError("Huffman sparse table is malformed");
      len[s] = l;
      prev = s;
    }
  }
  return Table(width, std::move(len));
}

class Recoder : public ChunkRecoder {
 public:
  Recoder(Bitstream inner, Table table) : inner_(std::move(inner)), table_(std::move(table)) {}
  const Bitstream& inner_header() const override { return inner_; }
  Bitstream decode(const Bitstream& chunk) const override {
    BitReader in(chunk);
    const unsigned tail = static_cast<unsigned>(in.read(4, "Huffman tail length"));
    if (tail >= table_.width()) throw DecodeError("Huffman tail longer than a symbol");
    const uint64_t tail_bits = in.read(tail, "Huffman tail");
    BitWriter out;
    out.reserve_bits(chunk.bits * 2);
    table_.decode(in, out);
    out.write(tail_bits, tail);
    return out.finish();
  }

 private:
  Bitstream inner_;
  Table table_;
};

class Huffman : public Codec, public BitstreamCoder {
 public:
  explicit Huffman(CodecParams& p)
      : width_(static_cast<unsigned>(p.integer(
            "symbol_bits", 0, 0, 16,
            "symbol width; 0 = the previous stage's natural width (8 when used alone)"))) {}

  // BitstreamCoder
  unsigned symbol_bits_for(unsigned inner) const override {
    return width_ ? width_ : (inner ? std::min(inner, 16u) : 8u);
  }

  EncodedLayer recode(const EncodedLayer& inner, unsigned inner_symbol_bits) const override {
    const unsigned w = symbol_bits_for(inner_symbol_bits);
    std::vector<uint64_t> freq(size_t{1} << w, 0);
    for (const auto& c : inner.chunks) {
      BitReader r(c);
      for (uint64_t i = 0, n = c.bits / w; i < n; ++i) freq[r.read_unchecked(w)]++;
    }
    const Table table(w, code_lengths(std::move(freq)));
    EncodedLayer out;
    out.bounds = inner.bounds;
    BitWriter h;
    h.write(inner.header.bits, 32);
    h.append(inner.header);
    write_table(h, table);
    out.header = h.finish();
    const auto& codes = table.codes();
    const auto& lens = table.lengths();
    for (const auto& c : inner.chunks) {
      BitReader r(c);
      const uint64_t n = c.bits / w;
      const unsigned tail = static_cast<unsigned>(c.bits % w);
      BitWriter wr;
      wr.reserve_bits(c.bits + 64);
      wr.write(tail, 4);
      BitReader t(c);
      t.skip(n * w, "symbols");
      wr.write(t.read(tail, "tail"), tail);
      for (uint64_t i = 0; i < n; ++i) {
        const auto s = r.read_unchecked(w);
        wr.write(codes[s], lens[s]);
      }
      out.chunks.push_back(wr.finish());
    }
    return out;
  }

  std::unique_ptr<ChunkRecoder> open_recoder(const Bitstream& header) const override {
    BitReader r(header);
    const uint64_t inner_bits = r.read(32, "Huffman inner header length");
    Bitstream inner = r.read_bits(inner_bits, "Huffman inner header");
    Table table = read_table(r);
    r.expect_end("Huffman header");
    return std::make_unique<Recoder>(std::move(inner), std::move(table));
  }

  // One codeword resolved per cycle from a 2K-entry table (longer codes take extra cycles, rare).
  DecoderCost recoder_cost(double symbols_per_weight) const override {
    return {2, 1.0 / symbols_per_weight, energy_pj::kLutRead * symbols_per_weight};
  }

  // Codec: alone, Huffman codes the bytes of raw fp32 weights.
  EncodedLayer encode(std::span<const float> w, std::span<const size_t> bounds,
                      const LayerContext&) const override {
    check_bounds(bounds, w.size());
    EncodedLayer raw;
    raw.bounds.assign(bounds.begin(), bounds.end());
    for (size_t c = 0; c + 1 < bounds.size(); ++c) {
      BitWriter wr;
      for (size_t i = bounds[c]; i < bounds[c + 1]; ++i) wr.write_float(w[i]);
      raw.chunks.push_back(wr.finish());
    }
    return recode(raw, 8);
  }
  std::unique_ptr<LayerDecoder> open(const Bitstream& header) const override {
    auto rec = open_recoder(header);
    if (rec->inner_header().bits != 0)
      throw DecodeError("standalone Huffman carries no inner header");
    return std::make_unique<RawDecoder>(std::move(rec));
  }
  bool lossless() const override { return true; }
  DecoderCost decoder_cost() const override { return recoder_cost(32.0 / symbol_bits_for(8)); }
  double nominal_bits_per_weight() const override {
    std::call_once(once_, [&] { nominal_ = synthetic_bits_per_weight(*this); });
    return nominal_;
  }
  std::string error_bound() const override { return "lossless (bit-exact)"; }
  unsigned symbol_bits() const override { return 8; }
  const BitstreamCoder* bitstream_coder() const override { return this; }

 private:
  struct RawDecoder : LayerDecoder {
    explicit RawDecoder(std::unique_ptr<ChunkRecoder> r) : rec(std::move(r)) {}
    void decode(const Bitstream& chunk, std::span<float> out) const override {
      const Bitstream raw = rec->decode(chunk);
      if (raw.bits != 32 * uint64_t(out.size())) {
        throw DecodeError("Huffman chunk holds " + std::to_string(raw.bits) + " bits, expected " +
                          std::to_string(32 * out.size()));
      }
      BitReader r(raw);
      for (float& x : out) x = std::bit_cast<float>(uint32_t(r.read_unchecked(32)));
    }
    std::unique_ptr<ChunkRecoder> rec;
  };

  unsigned width_;
  mutable std::once_flag once_;
  mutable double nominal_ = 0;
};

NOCSIM_REGISTER(codec_registry(), Huffman, "huffman",
                "canonical Huffman (lossless): codes the previous stage's symbols, or fp32 bytes");

}  // namespace
}  // namespace nocsim::compression
