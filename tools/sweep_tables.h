#pragma once
// The repeated parts of a sweep's results as tables of their own, beside results.csv:
// layers.csv (one row per point and layer) and links.csv (one row per point and directed link),
// each row led by the point's index, id and axis columns so that it joins results.csv.
#include <string>

#include "tools/sweep.h"
#include "tools/sweep_rows.h"

namespace nocsim::tools {

std::string layers_csv(const LoadedSweep& sweep);
std::string links_csv(const LoadedSweep& sweep);

// Rewrites both tables (atomically) from the stored rows; failed points have no rows.
void write_sweep_tables(const LoadedSweep& sweep, const SweepRows& rows);

}  // namespace nocsim::tools
