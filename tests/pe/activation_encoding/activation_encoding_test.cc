#include "pe/activation_encoding/activation_encoding.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace nocsim::pe {
namespace {

std::unique_ptr<ActivationEncoding> make(const std::string& name, uint32_t value_bits = 8,
                                         uint32_t index_bits = 4) {
  AcceleratorParams p;
  p.activation_bits = value_bits;
  p.activation_index_bits = index_bits;
  return activation_encoding_registry().create(name, "test", p);
}

// `zeros` zeros, then a 1.
void run_then_one(std::vector<float>& v, int zeros) {
  v.insert(v.end(), static_cast<size_t>(zeros), 0.0f);
  v.push_back(1.0f);
}

TEST(ActivationEncoding, DenseCountsEveryValue) {
  const std::vector<float> v = {0, 1.5f, 0, 0, 2};
  EXPECT_EQ(make("dense")->bits(5, v), 5u * 8u);
  EXPECT_EQ(make("dense", 16)->bits(5, {}), 5u * 16u) << "dense needs no values";
  EXPECT_FALSE(make("dense")->needs_values());
}

TEST(ActivationEncoding, BitmapIsOneBitPerValueAndTheNonZeros) {
  const std::vector<float> v = {0, 1.5f, 0, 0, 2, -3, 0, 0};
  EXPECT_EQ(make("bitmap")->bits(8, v), 8u + 3u * 8u);
  EXPECT_EQ(make("bitmap", 32)->bits(8, v), 8u + 3u * 32u);
  EXPECT_EQ(make("bitmap")->bits(4, std::vector<float>(4, 0.0f)), 4u);
  EXPECT_EQ(make("bitmap")->bits(2, std::vector<float>{-0.0f, 0.0f}), 2u) << "-0 is a zero";
}

TEST(ActivationEncoding, RelativeIndexPadsRunsLongerThanTheIndexCanCount) {
  const auto enc = make("index", 8, 4);  // 12-bit entries; an index counts up to 15 zeros
  std::vector<float> v;
  run_then_one(v, 0);            // 1 entry
  run_then_one(v, 15);           // 1 entry: 15 fits
  run_then_one(v, 16);           // 1 padding entry (16 positions) + the value
  run_then_one(v, 31);           // 1 padding + 15 left
  run_then_one(v, 32);           // 2 paddings + 0 left
  v.insert(v.end(), 100, 0.0f);  // trailing zeros: free
  EXPECT_EQ(enc->bits(v.size(), v), (1u + 1u + 2u + 2u + 3u) * 12u);

  const auto k2 = make("index", 16, 2);  // 18-bit entries; an index counts up to 3 zeros
  std::vector<float> w;
  run_then_one(w, 3);  // 1
  run_then_one(w, 4);  // 2
  run_then_one(w, 7);  // 2: one padding of 4 positions, 3 left
  run_then_one(w, 8);  // 3
  EXPECT_EQ(k2->bits(w.size(), w), (1u + 2u + 2u + 3u) * 18u);
  EXPECT_EQ(enc->bits(50, std::vector<float>(50, 0.0f)), 0u) << "all zeros: nothing to send";
}

// Properties every registered encoding keeps (tests iterate the registry).
TEST(ActivationEncoding, EveryEncodingCostsAtLeastDenseOnDenseDataAndZerosNeverCostMore) {
  ASSERT_FALSE(activation_encoding_registry().names().empty());
  std::vector<float> v(97);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 7) - 3.0f + 0.5f;
  for (const std::string& name : activation_encoding_registry().names()) {
    SCOPED_TRACE(name);
    const auto enc = make(name);
    EXPECT_GE(enc->bits(v.size(), v), v.size() * 8u) << "no zeros: nothing to gain";
    std::vector<float> w = v;
    uint64_t before = enc->bits(w.size(), w);
    for (size_t i = 0; i < w.size(); i += 3) {
      w[(i * 37) % w.size()] = 0.0f;
      const uint64_t after = enc->bits(w.size(), w);
      EXPECT_LE(after, before) << "zeroing value " << (i * 37) % w.size();
      before = after;
    }
    if (!enc->needs_values()) {
      EXPECT_EQ(enc->bits(w.size(), {}), enc->bits(w.size(), w));
    }
  }
}

TEST(ActivationEncoding, DenseIsTheDefault) {
  EXPECT_NE(activation_encoding_registry().find(kDefaultActivationEncoding), nullptr);
  EXPECT_EQ(AcceleratorParams{}.activation_encoding, kDefaultActivationEncoding);
}

}  // namespace
}  // namespace nocsim::pe
