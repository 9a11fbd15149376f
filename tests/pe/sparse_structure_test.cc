#include "pe/sparse_structure.h"

#include <gtest/gtest.h>

#include <vector>

#include "pe/tile/tile.h"

namespace nocsim::pe {
namespace {

// 20 rows x 3 columns, row-major: column 0 has non-zeros at rows 0 and 17 (16 zeros between:
// one padding entry at 4-bit indices), column 1 none, column 2 one at row 15 (15 zeros: fits).
std::vector<float> hand_matrix() {
  std::vector<float> w(20 * 3, 0.0f);
  w[0 * 3 + 0] = 0.5f;
  w[17 * 3 + 0] = -1.0f;
  w[15 * 3 + 2] = 2.0f;
  return w;
}

Stage fc_stage() {
  Stage st;
  st.kind = "dense";
  st.name = "fc";
  st.block_rows = 20;
  st.weights_per_block_row = 3;
  st.weights = 60;
  st.macs = 60;
  return st;
}

TEST(SparseStructure, CountsNonZerosAndPaddingPerColumn) {
  const Stage st = fc_stage();
  Share sh;
  sh.runs = {{0, 20}};
  sh.block_rows = 20;
  sh.weights = 60;
  const std::vector<float> w = hand_matrix();
  fill_sparse_structure(st, sh, w, 4);
  EXPECT_EQ(sh.nonzeros, 3u);
  EXPECT_EQ(sh.column_entries, (std::vector<uint32_t>{3, 0, 1}));
  EXPECT_EQ(sh.index_entries, 4u);
  // With 5-bit indices the 16-zero gap fits: no padding.
  fill_sparse_structure(st, sh, w, 5);
  EXPECT_EQ(sh.column_entries, (std::vector<uint32_t>{2, 0, 1}));
  // A share's rows are numbered locally: rows 10..19 see column 0's row 17 after 7 zeros and
  // column 2's row 15 after 5.
  Share half;
  half.runs = {{10, 20}};
  half.block_rows = 10;
  fill_sparse_structure(st, half, w, 4);
  EXPECT_EQ(half.column_entries, (std::vector<uint32_t>{1, 0, 1}));
}

TEST(SparseStructure, EieIndexAndStoredBitsOfTheHandMatrix) {
  AcceleratorParams p;  // codebook 4 bits, index 4 bits, fp32 weights
  const auto eie = tile_registry().create("eie", "t", p);
  const Stage st = fc_stage();
  Share sh;
  sh.runs = {{0, 20}};
  sh.block_rows = 20;
  sh.weights = 60;
  fill_sparse_structure(st, sh, hand_matrix(), 4);
  // 4 entries x 4-bit indices + 1 padding entry's 4-bit codebook index + 4 pointers x 16 bits.
  EXPECT_EQ(eie->index_bits(st, sh), 4u * 4u + 1u * 4u + 4u * 16u);
  // Stored: 4 entries x (4 + 4) bits + pointers + a 16-entry fp32 codebook.
  EXPECT_EQ(eie->stored_bits(st, sh), 4u * 8u + 4u * 16u + 16u * 32u);
}

}  // namespace
}  // namespace nocsim::pe
