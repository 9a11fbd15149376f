#include "pe/sparse_structure.h"

#include <vector>

#include "pe/relative_index.h"

namespace nocsim::pe {

void fill_sparse_structure(const Stage& st, Share& sh, std::span<const float> weights,
                           uint32_t index_bits) {
  const int64_t cols = st.weights_per_block_row;
  std::vector<int64_t> rows;
  for (const auto& [b0, b1] : sh.runs)
    for (int r = b0; r < b1; ++r) rows.push_back(r);
  sh.column_entries.assign(static_cast<size_t>(cols), 0);
  sh.nonzeros = 0;
  sh.index_entries = 0;
  for (int64_t j = 0; j < cols; ++j) {
    auto nonzero = [&](uint64_t i) { return weights[rows[i] * cols + j] != 0.0f; };
    const uint64_t entries = relative_index_entries(rows.size(), nonzero, index_bits);
    for (size_t i = 0; i < rows.size(); ++i) sh.nonzeros += nonzero(i) ? 1 : 0;
    sh.column_entries[static_cast<size_t>(j)] = static_cast<uint32_t>(entries);
    sh.index_entries += entries;
  }
}

}  // namespace nocsim::pe
