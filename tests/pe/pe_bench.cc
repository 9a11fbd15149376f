// Speed of the accelerator co-simulation: one inference and a 20-image steady-state stream of the
// default study (functional, 12 PE tiles on a 4x4 mesh; target < 1 s each) and traffic-only VGG-16
// on an 8x8 mesh (target < 60 s).
#include <benchmark/benchmark.h>
#include <google/protobuf/text_format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "configs/schema/scenario.pb.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "pe/accelerator.h"
#include "tests/file_text.h"

namespace {

using namespace nocsim;

using nocsim::testing::slurp;

// The shipped study with its technology preset merged in (what tools::load_scenario does).
config::Scenario study(const std::string& name) {
  const std::string root = NOCSIM_SOURCE_DIR;
  config::Scenario sc;
  google::protobuf::TextFormat::ParseFromString(slurp(root + "/configs/study/" + name), &sc);
  config::TechConfig tech;
  google::protobuf::TextFormat::ParseFromString(
      slurp(root + "/configs/tech/" + sc.tech_preset() + ".textproto"), &tech);
  tech.MergeFrom(sc.tech());
  *sc.mutable_tech() = tech;
  return sc;
}

// Runs the default study (functional, without the accuracy pass) over its first `images` test
// images; returns the last result.
config::AcceleratorResult run_default_study(benchmark::State& state, uint32_t images) {
  config::Scenario sc = study("fmnist_pd_mlp.textproto");
  sc.mutable_accelerator()->set_images(images);
  const config::ModelFile model =
      models::read_model_file(std::string(NOCSIM_SOURCE_DIR) + "/" + sc.model().file());
  const models::Dataset test =
      models::load_fashion_mnist("", models::Split::kTest).head(static_cast<int>(images) + 15);
  pe::RunInputs in;
  in.scenario = &sc;
  in.model = &model;
  in.test = &test;
  in.measure_accuracy = false;
  config::AcceleratorResult r;
  for (auto _ : state) r = pe::run_accelerator(in);
  return r;
}

void BM_DefaultStudyOneInference(benchmark::State& state) {
  const config::AcceleratorResult r = run_default_study(state, 1);
  state.counters["simulated_cycles"] = static_cast<double>(r.cycles());
}
BENCHMARK(BM_DefaultStudyOneInference)->Unit(benchmark::kMillisecond);

// Steady state: a stream of 20 images (target < 1 s).
void BM_DefaultStudySteadyState20Images(benchmark::State& state) {
  const config::AcceleratorResult r = run_default_study(state, 20);
  state.counters["steady_cycles_per_inference"] = r.steady().cycles_per_inference();
}
BENCHMARK(BM_DefaultStudySteadyState20Images)->Unit(benchmark::kMillisecond);

void BM_Vgg16TrafficOnly8x8(benchmark::State& state) {
  const config::Scenario sc = study("vgg16_traffic_8x8.textproto");
  const config::ModelFile model = models::load_model_spec(sc.model());
  pe::RunInputs in;
  in.scenario = &sc;
  in.model = &model;
  uint64_t cycles = 0, flits = 0;
  for (auto _ : state) {
    const config::AcceleratorResult r = pe::run_accelerator(in);
    cycles = r.cycles();
    flits = r.weight_flits() + r.activation_flits();
  }
  state.counters["simulated_cycles"] = static_cast<double>(cycles);
  state.counters["flits"] = static_cast<double>(flits);
}
BENCHMARK(BM_Vgg16TrafficOnly8x8)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
