#pragma once
// Sweeps: the cartesian product of a sweep file's axes over a base scenario, run in parallel, each
// finished point stored at once. Result files are canonical: rows ordered by point index, one row
// per point, so a sweep run with -j 1 or -j 8, killed and restarted, or sharded over MPI ranks,
// ends with byte-identical files (wall-clock times are not results and are left out). Each row
// carries the hash of its fully resolved point (point_hash), so a resumed sweep reruns exactly the
// points whose scenario, input files or nocsim version changed, and drops rows of points that no
// longer exist. One sweep at a time writes a results folder (ResultsLock).
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

// One value of an axis: its label and the overrides it stands for.
struct SweepChoice {
  std::string label;
  std::vector<std::string> sets;
};

struct LoadedSweep {
  config::Sweep sweep;
  std::string path;         // the sweep file
  std::string base_path;    // the resolved base scenario file
  std::string runner;       // the runner's name ("traffic" when the file gives none)
  std::string results_dir;  // where results.csv / results.jsonl go
  std::vector<std::string> axis_columns;
  std::vector<std::vector<SweepChoice>> axes;  // per axis, in the file's order
  std::vector<std::string> common_sets;        // the sweep's `set` and --set, before the axes
  size_t count = 0;                            // points: the product of the axes' sizes

  // Point `index` (< count), built on demand so that a big sweep holds no list of points.
  SweepPoint point(size_t index) const;
};

// Sweeps larger than this are refused unless the limit is raised (--max-points).
constexpr size_t kDefaultMaxSweepPoints = 100000;
// Sweeps up to this size have every point's overrides checked before anything runs; larger ones
// each axis value on its own (a point failing only in combination becomes a failed row).
constexpr size_t kFullyCheckedSweepPoints = 10000;

// Reads and checks a sweep: the base scenario must load, the axes' product must not exceed
// `max_points`, labels must be distinct single lines, and the overrides must apply (errors name
// the sweep file, the axis and the value) before anything runs.
LoadedSweep load_sweep(const std::string& path, const std::vector<std::string>& extra_sets = {},
                       const std::string& results_dir_override = "",
                       size_t max_points = kDefaultMaxSweepPoints);

struct SweepOptions {
  int jobs = 1;
  int shard_index = 0;  // this process runs points with index % shard_count == shard_index
  int shard_count = 1;
  bool force = false;  // rerun every point (and discard files written by another sweep/version)
  std::ostream* progress = nullptr;  // progress reports (stderr); nullptr = silent
  bool progress_is_tty = false;      // draw a bar with \r instead of printing lines
};

struct SweepOutcome {
  size_t ran = 0;      // points run now: fresh + changed + retried
  size_t fresh = 0;    // not in the results before
  size_t changed = 0;  // in the results, but their hash differs (scenario, inputs or version)
  size_t retried = 0;  // failed last time
  size_t kept = 0;     // already in the results with the same hash
  size_t dropped = 0;  // rows of points that are no longer in the sweep
  size_t failed = 0;   // failed now (stored with status "failed" and the error)
  bool replaced_old_files = false;  // results from an older nocsim (no point hashes) were replaced
  std::vector<std::string> errors;
};

// "ran 3 (1 new, 2 changed, 0 failed before), kept 5, dropped 1, failed 0"
std::string describe(const SweepOutcome& outcome);

// The hash that identifies a point's result: the nocsim version, the runner, the scenario after
// every override (with file paths replaced by their files' content hashes) and the contents of
// the sweep's base file and of every file the scenario reads.
std::string point_hash(const LoadedSweep& sweep, const SweepPoint& point);

// Runs every point of this shard whose row is missing, failed or stale. With shard_count > 1 the
// rows go to part files (results.part-I-of-N.csv/.jsonl) for merge_sweep_parts. Throws UserError
// (after the running points finished) when results cannot be written, whatever `jobs`.
SweepOutcome run_sweep(const LoadedSweep& sweep, const SweepOptions& options);

// Merges the N part files into results.csv / results.jsonl (canonical order); throws UserError
// naming the points a shard has not finished (or finished for an older version of the sweep).
void merge_sweep_parts(const LoadedSweep& sweep, int shard_count);

std::string results_csv(const LoadedSweep& sweep, int shard_index = 0, int shard_count = 1);
std::string results_jsonl(const LoadedSweep& sweep, int shard_index = 0, int shard_count = 1);
std::string results_lock(const LoadedSweep& sweep, int shard_index = 0, int shard_count = 1);

}  // namespace nocsim::tools
