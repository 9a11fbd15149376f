#include <gtest/gtest.h>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "configs/rng.h"

namespace nocsim::compression {
namespace {

TEST(BitIo, RandomFieldsRoundTripAndSizesAreExact) {
  Rng rng(1);
  std::vector<std::pair<uint64_t, unsigned>> fields;
  BitWriter w;
  uint64_t total = 0;
  for (int i = 0; i < 5000; ++i) {
    const unsigned n = rng.below(65);
    const uint64_t v = n == 64 ? rng.next() : rng.next() & ((uint64_t{1} << n) - 1);
    fields.push_back({v, n});
    w.write(v, n);
    total += n;
  }
  const Bitstream s = w.finish();
  EXPECT_EQ(s.bits, total);
  EXPECT_EQ(s.bytes.size(), (total + 7) / 8);
  BitReader r(s);
  for (const auto& [v, n] : fields) ASSERT_EQ(r.read(n, "field"), v);
  EXPECT_TRUE(r.at_end());
}

TEST(BitIo, WriterMasksHighBitsOfAValue) {
  BitWriter w;
  w.write(0xff, 4);
  w.write(0, 4);
  const Bitstream s = w.finish();
  EXPECT_EQ(s.bytes, std::vector<uint8_t>{0x0f});
}

TEST(BitIo, ReadingPastTheEndIsADecodeErrorNotAnOverread) {
  BitWriter w;
  w.write(5, 3);
  const Bitstream s = w.finish();
  BitReader r(s);
  EXPECT_EQ(r.read(3, "x"), 5u);
  EXPECT_THROW(r.read(1, "y"), DecodeError);
  // Bits past `bits` but inside the last byte are not readable either.
  BitReader r2(s);
  EXPECT_THROW(r2.read(8, "z"), DecodeError);
}

TEST(BitIo, AStreamClaimingMoreBitsThanBytesIsRejected) {
  Bitstream s;
  s.bytes = {1, 2};
  s.bits = 17;
  EXPECT_THROW(BitReader{s}, DecodeError);
}

TEST(BitIo, AppendAndReadBitsCopyUnalignedRuns) {
  BitWriter a;
  for (int i = 0; i < 100; ++i) a.write(i, 7);
  const Bitstream inner = a.finish();
  BitWriter b;
  b.write(1, 3);
  b.append(inner);
  const Bitstream outer = b.finish();
  EXPECT_EQ(outer.bits, 3 + inner.bits);
  BitReader r(outer);
  EXPECT_EQ(r.read(3, "p"), 1u);
  const Bitstream back = r.read_bits(inner.bits, "inner");
  EXPECT_EQ(back.bits, inner.bits);
  EXPECT_EQ(back.bytes, inner.bytes);
}

TEST(EvenBounds, CutsEveryChunkAndKeepsTheRest) {
  EXPECT_EQ(even_bounds(10, 4), (std::vector<size_t>{0, 4, 8, 10}));
  EXPECT_EQ(even_bounds(10, 0), (std::vector<size_t>{0, 10}));
  EXPECT_EQ(even_bounds(0, 4), (std::vector<size_t>{0}));
}

}  // namespace
}  // namespace nocsim::compression
