// Wall time of the shipped PermDNN-vs-EIE study (configs/study/permdnn_vs_eie.textproto: five
// points, accuracy on every test image) from scratch on two jobs, as `nocsim sweep -j 2` runs
// it; target < 2 minutes on 2 cores. Results go to a scratch folder, never to results/.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "tools/sweep.h"

namespace {

using namespace nocsim;

void BM_PermDnnVsEieStudy(benchmark::State& state) {
  // The study names its model files relative to the repository, as a user's shell would.
  if (::chdir(NOCSIM_SOURCE_DIR) != 0) throw std::runtime_error("cannot enter the source tree");
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("nocsim_study_bench_" + std::to_string(getpid()));
  const tools::LoadedSweep sweep =
      tools::load_sweep("configs/study/permdnn_vs_eie.textproto", {}, out.string());
  tools::SweepOptions options;
  options.jobs = 2;
  options.force = true;  // every iteration runs every point
  size_t failed = 0;
  for (auto _ : state) failed += tools::run_sweep(sweep, options).failed;
  std::filesystem::remove_all(out);
  state.counters["points"] = static_cast<double>(sweep.count);
  if (failed) state.SkipWithError("a point failed");
}
BENCHMARK(BM_PermDnnVsEieStudy)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
