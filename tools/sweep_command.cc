// `nocsim sweep`: runs a sweep file's points in parallel, resumably; shards over MPI ranks when
// started by mpirun, or over job-array tasks with --shard i/N. MPI is optional at build time
// (NOCSIM_HAVE_MPI); without it a start under mpirun is refused, since every rank would run
// every point into the same files.
#ifdef NOCSIM_HAVE_MPI
#include <mpi.h>
#endif
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <ostream>
#include <thread>

#include "configs/user_error.h"
#include "configs/version.h"
#include "tools/command.h"
#include "tools/sweep.h"

namespace nocsim::tools {
namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::atoi(v) : fallback;
}

class SweepCommand : public Command {
 public:
  void define(CLI::App& app) override {
    jobs_ = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    app.add_option("sweep", path_, "the sweep file (protobuf text format)")->required();
    app.add_option("-j,--jobs", jobs_, "points in parallel (default: all cores)")
        ->check(CLI::Range(1, 4096));
    app.add_option("--set", sets_, "override applied to every point (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    app.add_option("--results", results_dir_, "results folder (default: the sweep's results)");
    app.add_flag("--force", force_, "rerun every point");
    add_allow_plugin_option(app);
    app.add_option("--max-points", max_points_, "refuse sweeps of more than N points")
        ->capture_default_str()
        ->check(CLI::Range(size_t{1}, std::numeric_limits<size_t>::max()));
    auto* shard = app.add_option("--shard", shard_,
                                 "I/N: run only points with index mod N == I "
                                 "into part files (job arrays)");
    app.add_option("--merge", merge_, "merge the N part files into results.csv/.jsonl")
        ->check(CLI::Range(1, 1 << 20))
        ->excludes(shard);
    app.footer(
        "Runs the cartesian product of the sweep's axes; finished points are stored at once in\n"
        "DIR/results.csv and DIR/results.jsonl. A restarted sweep keeps the rows whose point\n"
        "(scenario after overrides, input files, nocsim version) is unchanged, reruns changed\n"
        "and failed points and drops rows of points no longer in the sweep. Under mpirun the\n"
        "ranks shard the sweep and rank 0 merges.\n");
  }

  int run(std::ostream& out) override {
    const std::string& path = path_;
    SweepOptions opt;
    opt.jobs = jobs_;
    opt.force = force_;
    const int merge = merge_;
    if (!shard_.empty()) {
      const std::string& v = shard_;
      const auto slash = v.find('/');
      size_t used_i = 0, used_n = 0;
      try {
        opt.shard_index = std::stoi(v.substr(0, slash), &used_i);
        opt.shard_count = std::stoi(v.substr(slash + 1), &used_n);
      } catch (const std::exception&) {
        used_i = 0;
      }
      if (slash == std::string::npos || used_i != slash || used_n != v.size() - slash - 1 ||
          opt.shard_count < 1 || opt.shard_index < 0 || opt.shard_index >= opt.shard_count)
        throw UserError("--shard: expected I/N with 0 <= I < N, got '" + v + "'");
    }

    const LoadedSweep sweep = load_sweep(path, sets_, results_dir_, max_points_);
    if (merge > 0) {
      merge_sweep_parts(sweep, merge);
      out << "merged " << merge << " parts into " << results_csv(sweep) << "\n";
      return 0;
    }

    // Started by mpirun: every rank takes its shard, rank 0 merges after a barrier.
    const int mpi_size = env_int("OMPI_COMM_WORLD_SIZE", env_int("PMI_SIZE", 1));
#ifdef NOCSIM_HAVE_MPI
    int rank = 0;
#endif
    if (mpi_size > 1) {
#ifdef NOCSIM_HAVE_MPI
      MPI_Init(nullptr, nullptr);
      int size = 1;
      MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      MPI_Comm_size(MPI_COMM_WORLD, &size);
      opt.shard_index = rank;
      opt.shard_count = size;
      opt.jobs = std::max(1, opt.jobs / size);
#else
      throw UserError("sweep under mpirun (" + std::to_string(mpi_size) +
                      " ranks): built without MPI; install libopenmpi-dev and reconfigure (or run "
                      "the shards as separate processes with --shard I/N, then --merge N)");
#endif
    }
    opt.progress = verbosity() < 0 ? nullptr : &std::cerr;
    if (verbosity() > 0)
      out << "nocsim " << nocsim_version() << ", base " << sweep.base_path << ", runner "
          << sweep.runner << ", results " << sweep.results_dir << "\n";
    opt.progress_is_tty = ::isatty(STDERR_FILENO) && mpi_size <= 1;
    out << "sweep " << path << ": " << sweep.count << " points";
    if (opt.shard_count > 1) out << ", shard " << opt.shard_index << "/" << opt.shard_count;
    out << ", " << opt.jobs << " jobs\n";

    SweepOutcome outcome;
    std::string failure;
    try {
      outcome = run_sweep(sweep, opt);
    } catch (const std::exception& e) {
      failure = e.what();
    }
#ifdef NOCSIM_HAVE_MPI
    if (mpi_size > 1) {
      int ok = failure.empty() && outcome.failed == 0, all_ok = 0;
      MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
      if (rank == 0 && all_ok) {
        try {
          merge_sweep_parts(sweep, opt.shard_count);
        } catch (const std::exception& e) {
          failure = e.what();
        }
      }
      MPI_Finalize();
    }
#endif
    if (!failure.empty()) throw UserError(failure);
    for (const auto& e : outcome.errors) std::cerr << "error: " << e << "\n";
    out << describe(outcome)
        << "\nresults: " << results_csv(sweep, opt.shard_index, mpi_size > 1 ? 1 : opt.shard_count)
        << "\n";
    return outcome.failed == 0 ? 0 : 1;
  }

 private:
  std::string path_, results_dir_, shard_;
  std::vector<std::string> sets_;
  int jobs_ = 1, merge_ = 0;
  bool force_ = false;
  size_t max_points_ = kDefaultMaxSweepPoints;
};

NOCSIM_REGISTER(command_registry(), SweepCommand, "sweep",
                "run a sweep file's points in parallel, resumably (MPI/job-array sharding)");

}  // namespace
}  // namespace nocsim::tools
