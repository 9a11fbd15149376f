// The documented error bound of each lossy codec, as a property over hostile random weights, and
// the documented size of each format.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "compression/codec_chain.h"
#include "tests/compression/test_weights.h"

namespace nocsim::compression {
namespace {

using testing::gaussian;
using testing::nasty;

std::vector<float> round_trip(const std::string& spec, const std::vector<float>& w,
                              size_t chunk = 0) {
  const auto c = make_codec(spec);
  return c->decode(c->encode(w, chunk));
}

TEST(Fp16, RelativeErrorAtMostTwoToMinusElevenInRangeAndAbsoluteBelow) {
  auto w = nasty(20000, 1);
  for (float& x : w) x = std::clamp(x, -65504.0f, 65504.0f);
  const auto back = round_trip("fp16", w);
  for (size_t i = 0; i < w.size(); ++i) {
    const double a = std::abs(double(w[i])), e = std::abs(double(w[i]) - back[i]);
    if (a >= 0x1p-14) {
      ASSERT_LE(e, a * 0x1p-11) << w[i];
    } else {
      ASSERT_LE(e, 0x1p-25) << w[i];
    }
    ASSERT_EQ(std::signbit(w[i]), std::signbit(back[i])) << w[i];
  }
}

TEST(Fp16, OverflowSaturatesByDefaultOrBecomesInfinity) {
  const std::vector<float> w{65519.0f, 65520.0f, -1e30f, std::numeric_limits<float>::infinity(),
                             std::numeric_limits<float>::quiet_NaN()};
  const auto sat = round_trip("fp16", w);
  EXPECT_EQ(sat[0], 65504.0f);
  EXPECT_EQ(sat[1], 65504.0f);
  EXPECT_EQ(sat[2], -65504.0f);
  EXPECT_EQ(sat[3], 65504.0f);
  EXPECT_TRUE(std::isnan(sat[4]));
  const auto inf = round_trip("fp16:saturate=false", w);
  EXPECT_EQ(inf[0], 65504.0f);
  EXPECT_TRUE(std::isinf(inf[1]) && inf[1] > 0);
  EXPECT_TRUE(std::isinf(inf[2]) && inf[2] < 0);
  EXPECT_TRUE(std::isnan(inf[4]));
}

TEST(Fp16, SubnormalsAndTiesRoundToNearestEven) {
  const std::vector<float> w{0x1p-24f, 0x1p-25f, 0x1.8p-24f, 1.0f + 0x1p-11f, 1.0f + 0x3p-11f};
  const auto back = round_trip("fp16", w);
  EXPECT_EQ(back[0], 0x1p-24f);
  EXPECT_EQ(back[1], 0.0f);      // tie between 0 and 2^-24 goes to even (0)
  EXPECT_EQ(back[2], 0x2p-24f);  // tie between 1 and 2 units goes to 2
  EXPECT_EQ(back[3], 1.0f);      // tie to even mantissa
  EXPECT_EQ(back[4], 1.0f + 0x4p-11f);
}

TEST(Bf16, RelativeErrorAtMostTwoToMinusEight) {
  auto w = nasty(20000, 2);
  const auto back = round_trip("bf16", w);
  for (size_t i = 0; i < w.size(); ++i) {
    const double a = std::abs(double(w[i])), e = std::abs(double(w[i]) - back[i]);
    ASSERT_LE(e, std::max(a * 0x1p-8, 0x1p-134)) << w[i];
  }
  EXPECT_TRUE(std::isnan(round_trip("bf16", {std::numeric_limits<float>::quiet_NaN()})[0]));
  EXPECT_TRUE(std::isinf(round_trip("bf16", {std::numeric_limits<float>::max()})[0]));
}

TEST(Truncate, RelativeErrorBoundForEveryMantissaWidth) {
  const auto w = nasty(5000, 3);
  for (int m = 1; m <= 23; ++m) {
    const auto near = round_trip("truncate:mantissa_bits=" + std::to_string(m), w);
    const auto down =
        round_trip("truncate:mantissa_bits=" + std::to_string(m) + ",rounding=truncate", w);
    for (size_t i = 0; i < w.size(); ++i) {
      const double a = std::abs(double(w[i]));
      const double slack = 0x1p-149 * std::ldexp(1.0, 23 - m);  // subnormals: absolute
      ASSERT_LE(std::abs(a - std::abs(double(near[i]))), std::ldexp(a, -(m + 1)) + slack / 2)
          << m << " " << w[i];
      ASSERT_LE(std::abs(a - std::abs(double(down[i]))), std::ldexp(a, -m) + slack) << m;
      ASSERT_LE(std::abs(down[i]), std::abs(w[i]));  // truncation rounds toward zero
    }
  }
  const auto big = round_trip("truncate:mantissa_bits=2", {std::numeric_limits<float>::max()});
  EXPECT_TRUE(std::isfinite(big[0]));  // never rounds a finite value up to Inf
}

TEST(Truncate, SizeIsNinePlusMBitsPerWeight) {
  const auto c = make_codec("truncate:mantissa_bits=5");
  const auto e = c->encode(gaussian(1000, 1), 300);
  EXPECT_EQ(e.chunk_bits(), 1000u * 14);
}

// Quantization: recompute each group's scale independently from the documented formula.
void check_quant(const std::string& spec, unsigned bits, bool symmetric, size_t block,
                 const std::vector<float>& w, size_t chunk) {
  const auto back = round_trip(spec, w, chunk);
  std::vector<std::pair<size_t, size_t>> groups;
  if (block == 0) {
    groups.push_back({0, w.size()});
  } else {
    const auto bounds = even_bounds(w.size(), chunk);
    for (size_t c = 0; c + 1 < bounds.size(); ++c) {
      for (size_t at = bounds[c]; at < bounds[c + 1]; at += block) {
        groups.push_back({at, std::min(at + block, bounds[c + 1])});
      }
    }
  }
  for (const auto& [begin, end] : groups) {
    double lo = w[begin], hi = w[begin], amax = 0;
    for (size_t i = begin; i < end; ++i) {
      lo = std::min<double>(lo, w[i]);
      hi = std::max<double>(hi, w[i]);
      amax = std::max(amax, std::abs(double(w[i])));
    }
    const double scale = symmetric ? amax / ((1 << (bits - 1)) - 1) : (hi - lo) / ((1 << bits) - 1);
    for (size_t i = begin; i < end; ++i) {
      ASSERT_LE(std::abs(double(w[i]) - back[i]), scale / 2 * (1 + 1e-6) + 2e-7 * amax)
          << spec << " i=" << i;
    }
  }
}

TEST(Quant, ErrorAtMostHalfAStepForEveryMode) {
  const auto w = gaussian(5000, 4);
  const auto n = nasty(5000, 4);
  for (unsigned bits : {2u, 4u, 8u, 16u}) {
    for (const char* mode : {"symmetric", "asymmetric"}) {
      const bool sym = std::string(mode) == "symmetric";
      const std::string b = "quant:bits=" + std::to_string(bits) + ",mode=" + mode;
      check_quant(b, bits, sym, 0, w, 1000);
      check_quant(b, bits, sym, 0, n, 1000);
      check_quant(b + ",granularity=block,block=64", bits, sym, 64, w, 1000);
      check_quant(b + ",granularity=block,block=33", bits, sym, 33, n, 500);
    }
  }
}

TEST(Quant, SymmetricKeepsZeroExactAndSizesMatchTheFormat) {
  std::vector<float> w = gaussian(1000, 5);
  w[3] = 0.0f;
  EXPECT_EQ(round_trip("quant:bits=4", w)[3], 0.0f);
  // tensor: 16-bit tag + one fp32 scale in the header, b bits per weight in chunks
  const auto t = make_codec("quant:bits=4")->encode(w, 300);
  EXPECT_EQ(t.header_bits(), 16u + 32);
  EXPECT_EQ(t.chunk_bits(), 4000u);
  // block: per chunk ceil(chunk/block) groups of (scale, offset) + b bits per weight
  const auto b =
      make_codec("quant:bits=2,granularity=block,block=64,mode=asymmetric")->encode(w, 300);
  EXPECT_EQ(b.header_bits(), 16u);
  EXPECT_EQ(b.chunk_bits(), 2000u + 64 * (3 * 5 + 2));  // chunks 300,300,300,100
}

TEST(KMeans, EveryWeightDecodesToItsNearestCentroidAndTheCodebookIsSentOnce) {
  for (unsigned bits : {1u, 2u, 4u, 8u}) {
    const auto c = make_codec("kmeans:bits=" + std::to_string(bits));
    const auto w = nasty(6000, bits);
    const auto e = c->encode(w, 1000);
    EXPECT_EQ(e.header_bits(), 16u + 32 * (1u << bits));
    EXPECT_EQ(e.chunk_bits(), 6000u * bits);
    const auto back = c->decode(e);
    std::vector<float> book(back.begin(), back.end());
    std::sort(book.begin(), book.end());
    book.erase(std::unique(book.begin(), book.end()), book.end());
    EXPECT_LE(book.size(), 1u << bits);
    for (size_t i = 0; i < w.size(); ++i) {
      double best = 1e300;
      for (float b : book) best = std::min(best, std::abs(double(w[i]) - b));
      ASSERT_EQ(std::abs(double(w[i]) - back[i]), best) << i;
    }
  }
}

TEST(KMeans, ClusteringReducesErrorBelowTheLinearCodebook) {
  const auto w = gaussian(20000, 6);
  auto mse = [&](const std::string& spec) {
    const auto back = round_trip(spec, w);
    double s = 0;
    for (size_t i = 0; i < w.size(); ++i) s += (w[i] - back[i]) * (w[i] - back[i]);
    return s / w.size();
  };
  EXPECT_LT(mse("kmeans:bits=3"), 0.7 * mse("kmeans:bits=3,iterations=0"));
}

TEST(Prune, ZerosTheSmallestMagnitudesAndKeepsTheRestBitExact) {
  auto w = gaussian(10000, 7);
  const auto back = round_trip("prune:sparsity=0.8", w, 999);
  size_t zeros = 0;
  float min_kept = INFINITY, max_pruned = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if (back[i] == 0.0f) {
      ++zeros;
      max_pruned = std::max(max_pruned, std::abs(w[i]));
    } else {
      ASSERT_EQ(std::bit_cast<uint32_t>(back[i]), std::bit_cast<uint32_t>(w[i]));
      min_kept = std::min(min_kept, std::abs(w[i]));
    }
  }
  EXPECT_EQ(zeros, 8000u);
  EXPECT_LE(max_pruned, min_kept);
  const auto e = make_codec("prune:sparsity=0.8")->encode(w, 999);
  EXPECT_EQ(e.chunk_bits(), 10000u + 32 * 2000);
}

TEST(Bfp, ErrorAtMostHalfAStepRelativeToTheBlockMaximum) {
  for (const char* mode : {"exponent", "base_delta"}) {
    for (unsigned m : {2u, 4u, 7u, 12u, 23u}) {
      for (size_t block : {1u, 16u, 100u}) {
        const auto w = nasty(3000, m + block);
        const std::string spec = "bfp:mantissa_bits=" + std::to_string(m) +
                                 ",block=" + std::to_string(block) + ",mode=" + mode;
        const auto back = round_trip(spec, w, 1000);
        const bool bd = std::string(mode) == "base_delta";
        for (size_t c = 0; c < 3000; c += 1000) {
          for (size_t at = c; at < c + 1000; at += block) {
            const size_t end = std::min(at + block, c + 1000);
            double lo = w[at], hi = w[at];
            for (size_t i = at; i < end; ++i) {
              lo = std::min<double>(lo, w[i]);
              hi = std::max<double>(hi, w[i]);
            }
            const double base = bd ? double(float((lo + hi) / 2)) : 0.0;
            double amax = 0;
            for (size_t i = at; i < end; ++i) amax = std::max(amax, std::abs(w[i] - base));
            // half a step <= amax / (2^m - 1) (step >= 2^-149), plus a rounded base add
            const double bound = std::max(amax / (std::ldexp(1.0, int(m)) - 1), 0x1p-150) +
                                 (bd ? std::abs(base + amax) * 0x1p-24 : 0.0);
            for (size_t i = at; i < end; ++i) {
              ASSERT_LE(std::abs(double(w[i]) - back[i]), bound) << spec << " i=" << i;
            }
          }
        }
      }
    }
  }
}

TEST(Bfp, SizeIsExponentPlusSignAndMantissaPerWeight) {
  const auto e = make_codec("bfp:mantissa_bits=5,block=10")->encode(gaussian(1000, 8), 250);
  EXPECT_EQ(e.chunk_bits(), 1000u * 6 + 4 * 25 * 9);
  const auto d =
      make_codec("bfp:mantissa_bits=5,block=10,mode=base_delta")->encode(gaussian(1000, 8), 250);
  EXPECT_EQ(d.chunk_bits(), 1000u * 6 + 4 * 25 * (9 + 32));
}

TEST(Huffman, CompressesKMeansIndicesBelowTheirFixedWidth) {
  const auto w = gaussian(1 << 16, 9);
  const auto km = make_codec("kmeans:bits=4")->encode(w, 4096);
  const auto kh = make_codec("kmeans:bits=4+huffman")->encode(w, 4096);
  EXPECT_LT(kh.chunk_bits(), km.chunk_bits());
  // Measured 3.49 bits/weight on these weights (headers included).
  EXPECT_GT(kh.bits_per_weight(), 3.0);
  EXPECT_LT(kh.bits_per_weight(), 3.95);
  const auto back_a = make_codec("kmeans:bits=4")->decode(km);
  const auto back_b = make_codec("kmeans:bits=4+huffman")->decode(kh);
  EXPECT_EQ(back_a, back_b);
}

TEST(Huffman, SkewedSymbolsAndLongCodesRoundTrip) {
  // Fibonacci symbol counts force codes longer than the 11-bit lookup table and the
  // 20-bit length limit.
  std::vector<float> w;
  size_t f0 = 1, f1 = 1;
  for (int s = 0; s < 26; ++s) {
    for (size_t i = 0; i < f0; ++i) w.push_back(float(s));
    const size_t f2 = f0 + f1;
    f0 = f1;
    f1 = f2;
  }
  Rng rng(1);
  for (size_t i = w.size(); i-- > 1;) std::swap(w[i], w[rng.below(uint32_t(i + 1))]);
  const auto c = make_codec("huffman:symbol_bits=16");
  const auto back = c->decode(c->encode(w, 100000));
  EXPECT_EQ(back, w);
}

}  // namespace
}  // namespace nocsim::compression
