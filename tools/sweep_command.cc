// `nocsim sweep`: runs a sweep file's points in parallel, resumably; shards over MPI ranks when
// started by mpirun, or over job-array tasks with --shard i/N.
#include <mpi.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <ostream>
#include <thread>

#include "configs/user_error.h"
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
  std::string usage() const override {
    return "usage: nocsim sweep SWEEP.textproto [-j N] [--set path=value]... [--results DIR]\n"
           "                   [--force] [--shard I/N | --merge N]\n"
           "  Runs the cartesian product of the sweep's axes; finished points are stored at once\n"
           "  in DIR/results.csv and DIR/results.jsonl. A restarted sweep keeps the rows whose\n"
           "  point (scenario after overrides, input files, nocsim version) is unchanged, reruns\n"
           "  changed and failed points and drops rows of points no longer in the sweep.\n"
           "  --force     rerun every point\n"
           "  --max-points N  refuse sweeps of more than N points (default 100000)\n"
           "  -j N        points in parallel (default: all cores)\n"
           "  --shard I/N run only points with index mod N == I into part files (job arrays)\n"
           "  --merge N   merge the N part files into results.csv/.jsonl\n"
           "  Under mpirun the ranks shard the sweep and rank 0 merges.\n";
  }

  int run(const std::vector<std::string>& args, std::ostream& out) override {
    std::string path, results_dir;
    std::vector<std::string> sets;
    SweepOptions opt;
    opt.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    int merge = 0;
    size_t max_points = kDefaultMaxSweepPoints;
    for (size_t i = 0; i < args.size(); ++i) {
      auto value = [&](const std::string& flag) {
        if (i + 1 >= args.size()) throw UserError(flag + ": missing value");
        return args[++i];
      };
      const std::string& a = args[i];
      if (a == "-j" || a == "--jobs") {
        opt.jobs = std::atoi(value(a).c_str());
        if (opt.jobs < 1) throw UserError("-j: must be at least 1");
      } else if (a.rfind("-j", 0) == 0 && a.size() > 2) {
        opt.jobs = std::max(1, std::atoi(a.c_str() + 2));
      } else if (a == "--max-points") {
        const std::string v = value(a);
        char* end = nullptr;
        errno = 0;
        const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || errno != 0 || n == 0 || v[0] == '-')
          throw UserError("--max-points: expected a positive whole number, got '" + v + "'");
        max_points = static_cast<size_t>(n);
      } else if (a == "--force") {
        opt.force = true;
      } else if (a == "--set") {
        sets.push_back(value(a));
      } else if (a == "--results") {
        results_dir = value(a);
      } else if (a == "--shard") {
        const std::string v = value(a);
        const auto slash = v.find('/');
        if (slash == std::string::npos) throw UserError("--shard: expected I/N, got '" + v + "'");
        opt.shard_index = std::atoi(v.substr(0, slash).c_str());
        opt.shard_count = std::atoi(v.substr(slash + 1).c_str());
        if (opt.shard_count < 1 || opt.shard_index < 0 || opt.shard_index >= opt.shard_count)
          throw UserError("--shard: need 0 <= I < N, got '" + v + "'");
      } else if (a == "--merge") {
        merge = std::atoi(value(a).c_str());
        if (merge < 1) throw UserError("--merge: N must be at least 1");
      } else if (!a.empty() && a[0] == '-') {
        throw UserError("unknown option " + a + "\n" + usage());
      } else {
        path = a;
      }
    }
    if (path.empty()) throw UserError("sweep: no sweep file given\n" + usage());

    const LoadedSweep sweep = load_sweep(path, sets, results_dir, max_points);
    if (merge > 0) {
      merge_sweep_parts(sweep, merge);
      out << "merged " << merge << " parts into " << results_csv(sweep) << "\n";
      return 0;
    }

    // Started by mpirun: every rank takes its shard, rank 0 merges after a barrier.
    const int mpi_size = env_int("OMPI_COMM_WORLD_SIZE", env_int("PMI_SIZE", 1));
    int rank = 0;
    if (mpi_size > 1) {
      MPI_Init(nullptr, nullptr);
      int size = 1;
      MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      MPI_Comm_size(MPI_COMM_WORLD, &size);
      opt.shard_index = rank;
      opt.shard_count = size;
      opt.jobs = std::max(1, opt.jobs / size);
    }
    opt.progress = &std::cerr;
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
    if (!failure.empty()) throw UserError(failure);
    for (const auto& e : outcome.errors) std::cerr << "error: " << e << "\n";
    out << describe(outcome)
        << "\nresults: " << results_csv(sweep, opt.shard_index, mpi_size > 1 ? 1 : opt.shard_count)
        << "\n";
    return outcome.failed == 0 ? 0 : 1;
  }
};

NOCSIM_REGISTER(command_registry(), SweepCommand, "sweep",
                "run a sweep file's points in parallel, resumably (MPI/job-array sharding)");

}  // namespace
}  // namespace nocsim::tools
