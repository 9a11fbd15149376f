#pragma once
// The compressed sparse column (CSC) layout of a tile's share of a fully-connected stage, as EIE
// stores it (Han et al., ISCA 2016): per input column, the non-zeros of the share's rows, each
// with a relative row index of `index_bits` bits (pe/relative_index.h: padding entries where a
// gap is too long), and a pointer per column to where it starts.
#include <cstdint>
#include <span>

#include "pe/layer_plan.h"
#include "pe/placement.h"

namespace nocsim::pe {

// Fills sh.nonzeros, sh.index_entries and sh.column_entries from the stage's weights (row-major
// out x in; the share's rows are its runs, in order, as the tile numbers them locally).
void fill_sparse_structure(const Stage& st, Share& sh, std::span<const float> weights,
                           uint32_t index_bits);

}  // namespace nocsim::pe
