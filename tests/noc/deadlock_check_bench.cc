// Speed of the channel-dependency deadlock check: `noc_bench --benchmark_filter=DeadlockCheck`.
#include <string>

#include <benchmark/benchmark.h>

#include "noc/deadlock_check.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {
namespace {

void check_mesh(benchmark::State& state, const std::string& algorithm) {
  const auto k = static_cast<uint32_t>(state.range(0));
  const Topology t = Topology::mesh(k, k);
  config::NocConfig cfg;
  cfg.mutable_routing()->set_algorithm(algorithm);
  const auto alg = routing_registry().create(algorithm, "noc.routing.algorithm", t, cfg);
  for (auto _ : state) benchmark::DoNotOptimize(find_deadlock_cycle(t, *alg, 2));
}

BENCHMARK_CAPTURE(check_mesh, xy, std::string("xy"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, yx, std::string("yx"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, west_first, std::string("west_first"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, north_last, std::string("north_last"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, negative_first, std::string("negative_first"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, odd_even, std::string("odd_even"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, table, std::string("table"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);

// The O(channels x VCs) bounds of issue 14 (128x128 under 1 s, 1024x1024 under 30 s for xy), and
// the turn models' local rules at 128x128; one iteration each.
BENCHMARK_CAPTURE(check_mesh, xy_large, std::string("xy"))
    ->Arg(128)
    ->Arg(256)
    ->Arg(1024)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, west_first_large, std::string("west_first"))
    ->Arg(128)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, odd_even_large, std::string("odd_even"))
    ->Arg(128)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Torus with dateline VC classes: twice the (channel, VC) nodes of a mesh's check, plus
// wraparounds.
void check_torus_xy(benchmark::State& state) {
  const auto k = static_cast<uint32_t>(state.range(0));
  const Topology t = Topology::torus(k, k);
  config::NocConfig cfg;
  cfg.mutable_routing()->set_algorithm("xy");
  cfg.mutable_router()->set_num_vcs(2);
  const auto alg = routing_registry().create("xy", "noc.routing.algorithm", t, cfg);
  for (auto _ : state) benchmark::DoNotOptimize(find_deadlock_cycle(t, *alg, 2));
}
BENCHMARK(check_torus_xy)->Arg(8)->Arg(32)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nocsim::noc
