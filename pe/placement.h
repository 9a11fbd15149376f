#pragma once
// Which tile holds what: each stage's block-rows split into per-tile shares, the tiles that hold
// a share of each stage, and the memory controller that sends the input image.
#include <cstdint>
#include <utility>
#include <vector>

namespace nocsim::pe {

// A tile's part of one stage: its block-rows as contiguous runs and what they weigh.
struct Share {
  std::vector<std::pair<int, int>> runs;  // [b0, b1)
  std::vector<int> chunks;                // index of each run's chunk in the encoded layer
  int block_rows = 0;
  int64_t weights = 0;
  uint64_t weight_bits = 0;  // on the NoC: codec header + the runs' chunks
  int64_t out_elems = 0;     // output values after the fused layers
  // Values through the codec: the weights, or only the non-zeros on tiles that keep weights
  // sparse (Tile::sparse_weights); set by the weight encoding.
  int64_t coded_weights = 0;
  // Sparse tiles: the share's compressed sparse columns (pe/sparse_structure.h).
  uint64_t nonzeros = 0, index_entries = 0;  // index entries = non-zeros + padding entries
  std::vector<uint32_t> column_entries;      // per input column, in the share's rows
  bool active() const { return block_rows > 0; }
};

struct Placement {
  std::vector<std::vector<Share>> shares;        // [stage][tile]
  std::vector<std::vector<uint32_t>> producers;  // [stage]: tiles with block-rows, ascending
  std::vector<std::vector<int>> sources;         // [stage]: Stage::sources (-1 = the input)
  uint32_t input_mc = 0;                         // index into mc_nodes
};

}  // namespace nocsim::pe
