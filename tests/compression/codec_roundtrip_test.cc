// Properties every codec must have, checked for each built-in and main setting.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>

#include "compression/codec_chain.h"
#include "compression/decode_error.h"
#include "tests/compression/test_weights.h"

namespace nocsim::compression {
namespace {

using testing::gaussian;
using testing::nasty;

const std::vector<std::string>& all_specs() {
  static const std::vector<std::string> specs = {
      "identity",
      "fp16",
      "fp16:saturate=false",
      "bf16",
      "truncate:mantissa_bits=3",
      "truncate:mantissa_bits=23",
      "quant:bits=8",
      "quant:bits=4,granularity=block,block=64",
      "quant:bits=2,mode=asymmetric",
      "quant:bits=3,granularity=block,block=7,mode=asymmetric",
      "kmeans:bits=4",
      "kmeans:bits=1",
      "prune:sparsity=0.7",
      "bfp",
      "bfp:mantissa_bits=3,block=5",
      "bfp:mode=base_delta",
      "huffman",
      "huffman:symbol_bits=16",
      "kmeans:bits=4+huffman",
      "kmeans:bits=5+huffman",
      "quant:bits=4,granularity=block+huffman",
      "prune+huffman"};
  return specs;
}

class EveryCodec : public ::testing::TestWithParam<std::string> {};

bool same_bits(float a, float b) {
  return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b);
}

TEST_P(EveryCodec, ChunksDecodeIndependentlyInAnyOrderAndDeterministically) {
  const auto codec = make_codec(GetParam());
  const auto w = nasty(3001, 7);
  const std::vector<size_t> bounds{0, 1, 100, 1000, 2048, 3001};
  const EncodedLayer a = codec->encode(w, bounds);
  const EncodedLayer b = codec->encode(w, bounds);
  ASSERT_EQ(a.chunks.size(), 5u);
  EXPECT_EQ(a.header.bytes, b.header.bytes);
  for (size_t i = 0; i < a.chunks.size(); ++i) EXPECT_EQ(a.chunks[i].bytes, b.chunks[i].bytes);
  const std::vector<float> whole = codec->decode(a);
  for (size_t i = a.chunks.size(); i-- > 0;) {
    auto dec = codec->open(a.header);  // a fresh decoder per chunk: no state between chunks
    std::vector<float> part(bounds[i + 1] - bounds[i]);
    dec->decode(a.chunks[i], part);
    for (size_t j = 0; j < part.size(); ++j) ASSERT_TRUE(same_bits(part[j], whole[bounds[i] + j]));
  }
  EXPECT_EQ(a.bits_per_weight(), double(a.header.bits + a.chunk_bits()) / double(w.size()));
}

// The specs whose chain says it is lossless; the test below holds each of them to its word.
std::vector<std::string> lossless_specs() {
  std::vector<std::string> out;
  for (const std::string& spec : all_specs())
    if (make_codec(spec)->lossless()) out.push_back(spec);
  return out;
}

class LosslessCodec : public ::testing::TestWithParam<std::string> {};

TEST(LosslessCodecs, AreExactlyTheOnesThatKeepEveryBit) {
  EXPECT_EQ(lossless_specs(), (std::vector<std::string>{"identity", "truncate:mantissa_bits=23",
                                                        "huffman", "huffman:symbol_bits=16"}));
}

TEST_P(LosslessCodec, LosslessMeansBitExact) {
  const auto codec = make_codec(GetParam());
  auto w = nasty(4000, 3);
  w[5] = std::numeric_limits<float>::quiet_NaN();
  w[6] = -std::numeric_limits<float>::infinity();
  w[7] = std::bit_cast<float>(0x7fc01234u);  // NaN with a payload
  const auto back = codec->decode(codec->encode(w, 1000));
  for (size_t i = 0; i < w.size(); ++i) ASSERT_TRUE(same_bits(w[i], back[i])) << i;
}

TEST_P(EveryCodec, NonFiniteInputsNeverCrashAndNaNStaysNaNOrIsDocumented) {
  const auto codec = make_codec(GetParam());
  auto w = gaussian(512, 9);
  w[0] = std::numeric_limits<float>::quiet_NaN();
  w[1] = std::numeric_limits<float>::infinity();
  w[2] = -std::numeric_limits<float>::infinity();
  const auto back = codec->decode(codec->encode(w, 100));
  ASSERT_EQ(back.size(), w.size());
  for (size_t i = 3; i < w.size(); ++i) ASSERT_TRUE(std::isfinite(back[i])) << i;
  EXPECT_FALSE(std::isnan(back[1])) << "+Inf must not decode to NaN";
  EXPECT_GT(back[1], 0.0f);
  EXPECT_LT(back[2], 0.0f);
}

TEST_P(EveryCodec, EmptyLayerAndSingleWeightWork) {
  const auto codec = make_codec(GetParam());
  EXPECT_TRUE(codec->decode(codec->encode(std::vector<float>{})).empty());
  const std::vector<float> one{0.25f};
  const auto back = codec->decode(codec->encode(one));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_NEAR(back[0], 0.25f, 0.25f);
}

TEST_P(EveryCodec, NominalSizePredictsGaussianChunkBitsWithinTenPercent) {
  const auto codec = make_codec(GetParam());
  const auto w = gaussian(1 << 16, 11);
  const double actual = double(codec->encode(w, 4096).chunk_bits()) / double(w.size());
  EXPECT_NEAR(codec->nominal_bits_per_weight(), actual, 0.1 * actual) << GetParam();
}

TEST_P(EveryCodec, DecodingWithTheWrongConfigurationIsADecodeError) {
  const auto codec = make_codec(GetParam());
  const auto other = make_codec(GetParam() == "fp16" ? "bf16" : "fp16");
  const EncodedLayer e = codec->encode(gaussian(64, 1));
  EXPECT_THROW(other->open(e.header), DecodeError);
}

TEST_P(EveryCodec, AChunkDecodedForTheWrongWeightCountIsADecodeError) {
  const auto codec = make_codec(GetParam());
  const EncodedLayer e = codec->encode(gaussian(256, 1));
  auto dec = codec->open(e.header);
  std::vector<float> fewer(255), more(300);
  EXPECT_THROW(dec->decode(e.chunks[0], fewer), DecodeError);
  EXPECT_THROW(dec->decode(e.chunks[0], more), DecodeError);
}

TEST_P(EveryCodec, EveryTruncationIsADecodeError) {
  const auto codec = make_codec(GetParam());
  const EncodedLayer e = codec->encode(nasty(40, 5));
  auto dec = codec->open(e.header);
  std::vector<float> out(40);
  for (uint64_t bits = 0; bits < e.chunks[0].bits; ++bits) {
    Bitstream cut = e.chunks[0];
    cut.bits = bits;
    cut.bytes.resize((bits + 7) / 8);
    EXPECT_THROW(dec->decode(cut, out), DecodeError) << bits;
  }
  for (uint64_t bits = 0; bits < e.header.bits; ++bits) {
    Bitstream cut = e.header;
    cut.bits = bits;
    cut.bytes.resize((bits + 7) / 8);
    EXPECT_THROW(codec->open(cut), DecodeError) << bits;
  }
}

TEST_P(EveryCodec, CorruptedStreamsDecodeOrFailCleanly) {
  // Bit flips either still form a valid stream (payload bits) or are detected; never UB (this test
  // is what ASan/UBSan watch).
  const auto codec = make_codec(GetParam());
  const EncodedLayer e = codec->encode(nasty(300, 2), 100);
  Rng rng(4);
  std::vector<float> out(100);
  for (int trial = 0; trial < 300; ++trial) {
    Bitstream header = e.header, chunk = e.chunks[trial % 3];
    Bitstream& victim = (trial % 4 == 0 && header.bits > 16) ? header : chunk;
    for (int f = 0; f < 1 + trial % 5; ++f) {
      const uint64_t bit = rng.below(static_cast<uint32_t>(victim.bits));
      victim.bytes[bit / 8] ^= uint8_t(1u << (bit % 8));
    }
    try {
      codec->open(header)->decode(chunk, out);
    } catch (const DecodeError&) {
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Builtins, EveryCodec, ::testing::ValuesIn(all_specs()), test_name);
INSTANTIATE_TEST_SUITE_P(Builtins, LosslessCodec, ::testing::ValuesIn(lossless_specs()), test_name);

}  // namespace
}  // namespace nocsim::compression
