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
BENCHMARK_CAPTURE(check_mesh, west_first, std::string("west_first"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(check_mesh, odd_even, std::string("odd_even"))
    ->Arg(8)
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nocsim::noc
