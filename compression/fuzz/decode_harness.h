#pragma once
// The decoder fuzzing harness, shared by the libFuzzer targets (decode_fuzzer.cc), the seed
// generator (make_seeds.cc) and the regression test that replays the checked-in corpus under the
// normal ASan suite (tests/compression/fuzz_corpus_test.cc).
//
// One fuzz target per codec name; the first input byte picks one of that codec's parameter
// variants, so one target reaches every decoder path (per-tensor and per-block groups, header
// tables, chains). Input layout (all little-endian):
//
//   [variant: 1][weights: 2][header bits: 4][chunk pad bits: 1][header bytes][chunk bytes]
//
// The header holds ceil(header bits / 8) bytes; the chunk is the rest, its length in bits is
// 8 * bytes - (pad & 7). The harness decodes the chunk into `weights` floats through the same
// CodecChain the simulator uses. A DecodeError (or another UserError) is the expected outcome of
// garbage; anything else escaping, or a sanitizer report, is a bug.
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "compression/codec_chain.h"
#include "configs/user_error.h"

namespace nocsim::compression::fuzz {

// Parameter variants of each fuzzed codec; every decoder of compression/codecs/ is listed.
inline const std::vector<std::string>& variants(const std::string& codec) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> table = {
      {"identity", {"identity"}},
      {"fp16", {"fp16", "fp16:saturate=false"}},
      {"bf16", {"bf16"}},
      {"truncate", {"truncate:mantissa_bits=3", "truncate:mantissa_bits=23,rounding=truncate"}},
      {"quant",
       {"quant:bits=8", "quant:bits=4,granularity=block,block=16", "quant:bits=2,mode=asymmetric",
        "quant:bits=3,granularity=block,block=7,mode=asymmetric", "quant:bits=16"}},
      {"kmeans", {"kmeans:bits=4", "kmeans:bits=1", "kmeans:bits=8"}},
      {"prune", {"prune:sparsity=0.5", "prune:sparsity=0"}},
      {"bfp", {"bfp", "bfp:mantissa_bits=3,block=5", "bfp:mode=base_delta,mantissa_bits=23"}},
      {"huffman", {"huffman", "huffman:symbol_bits=16", "huffman:symbol_bits=1"}},
      {"chain",
       {"kmeans:bits=4+huffman", "quant:bits=4,granularity=block+huffman", "prune+huffman",
        "kmeans:bits=2+huffman+huffman"}},
  };
  for (const auto& [name, specs] : table) {
    if (name == codec) return specs;
  }
  static const std::vector<std::string> none;
  return none;
}

inline std::vector<std::string> codec_names() {
  return {"identity", "fp16",  "bf16", "truncate", "quant",
          "kmeans",   "prune", "bfp",  "huffman",  "chain"};
}

constexpr size_t kPrefixBytes = 8;
constexpr size_t kMaxWeights = 4096;

// Builds an input from a real encoding (for seeds).
inline std::string make_input(uint8_t variant, uint16_t weights, const Bitstream& header,
                              const Bitstream& chunk) {
  std::string s(kPrefixBytes, '\0');
  s[0] = static_cast<char>(variant);
  std::memcpy(&s[1], &weights, 2);
  const uint32_t hbits = static_cast<uint32_t>(header.bits);
  std::memcpy(&s[3], &hbits, 4);
  s[7] = static_cast<char>((8 - chunk.bits % 8) % 8);
  s.append(reinterpret_cast<const char*>(header.bytes.data()), (header.bits + 7) / 8);
  s.append(reinterpret_cast<const char*>(chunk.bytes.data()), (chunk.bits + 7) / 8);
  return s;
}

// The codecs of one target, built once.
class Harness {
 public:
  explicit Harness(const std::string& codec) {
    for (const auto& spec : variants(codec)) codecs_.push_back(make_codec(spec));
    if (codecs_.empty()) throw UserError("fuzz target", "no variants for codec '" + codec + "'");
  }
  size_t num_variants() const { return codecs_.size(); }
  const CodecChain& codec(size_t i) const { return *codecs_[i]; }

  // Returns true when the input decoded, false when it was rejected (DecodeError/UserError or a
  // malformed prefix). Other exceptions propagate.
  bool run(const uint8_t* data, size_t size) const {
    if (size < kPrefixBytes) return false;
    const CodecChain& c = *codecs_[data[0] % codecs_.size()];
    uint16_t n;
    uint32_t hbits;
    std::memcpy(&n, data + 1, 2);
    std::memcpy(&hbits, data + 3, 4);
    if (n > kMaxWeights) return false;
    const size_t hbytes = (uint64_t{hbits} + 7) / 8;
    if (hbytes > size - kPrefixBytes) return false;
    Bitstream header, chunk;
    header.bytes.assign(data + kPrefixBytes, data + kPrefixBytes + hbytes);
    header.bits = hbits;
    chunk.bytes.assign(data + kPrefixBytes + hbytes, data + size);
    const unsigned pad = data[7] & 7u;
    chunk.bits = chunk.bytes.empty() ? 0 : chunk.bytes.size() * 8 - pad;
    // Exact-size output: a decoder writing past it is caught by ASan.
    std::unique_ptr<float[]> out(new float[n == 0 ? 1 : n]);
    try {
      const auto dec = c.open(header);
      dec->decode(chunk, std::span<float>(out.get(), n));
    } catch (const UserError&) {
      return false;
    }
    return true;
  }

 private:
  std::vector<std::unique_ptr<CodecChain>> codecs_;
};

}  // namespace nocsim::compression::fuzz
