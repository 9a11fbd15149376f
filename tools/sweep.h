#pragma once
// Sweeps: the cartesian product of a sweep file's axes over a base scenario, run in parallel, each
// finished point stored at once. Result files are canonical: rows ordered by point index, one row
// per point, so a sweep run with -j 1 or -j 8, killed and restarted, or sharded over MPI ranks,
// ends with byte-identical files (wall-clock times are not results and are left out).
#include <iosfwd>
#include <string>
#include <vector>

#include "configs/schema/sweep.pb.h"

namespace nocsim::tools {

struct SweepPoint {
  size_t index = 0;
  std::string id;                                         // "rate=0.1|codec=int8"
  std::vector<std::pair<std::string, std::string>> axes;  // axis column -> value label
  std::vector<std::string> sets;                          // overrides, in order
};

struct LoadedSweep {
  config::Sweep sweep;
  std::string path;         // the sweep file
  std::string base_path;    // the resolved base scenario file
  std::string results_dir;  // where results.csv / results.jsonl go
  std::vector<SweepPoint> points;
  std::vector<std::string> axis_columns;
};

// Reads and checks a sweep: the base scenario must load, and every point's overrides must apply
// (errors name the sweep file, the axis and the value) before anything runs.
LoadedSweep load_sweep(const std::string& path, const std::vector<std::string>& extra_sets = {},
                       const std::string& results_dir_override = "");

struct SweepOptions {
  int jobs = 1;
  int shard_index = 0;  // this process runs points with index % shard_count == shard_index
  int shard_count = 1;
  std::ostream* progress = nullptr;  // progress reports (stderr); nullptr = silent
  bool progress_is_tty = false;      // draw a bar with \r instead of printing lines
};

struct SweepOutcome {
  size_t ran = 0;
  size_t skipped = 0;  // already in the results (resumed)
  size_t failed = 0;
  std::vector<std::string> errors;
};

// Runs every point of this shard that is not in the results yet. With shard_count > 1 the rows go
// to part files (results.part-I-of-N.csv/.jsonl) for merge_sweep_parts.
SweepOutcome run_sweep(const LoadedSweep& sweep, const SweepOptions& options);

// Merges the N part files into results.csv / results.jsonl (canonical order); throws UserError
// naming the missing parts when a shard has not finished.
void merge_sweep_parts(const LoadedSweep& sweep, int shard_count);

std::string results_csv(const LoadedSweep& sweep, int shard_index = 0, int shard_count = 1);
std::string results_jsonl(const LoadedSweep& sweep, int shard_index = 0, int shard_count = 1);

}  // namespace nocsim::tools
