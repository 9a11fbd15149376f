#pragma once
// Shared set-up of the accelerator tests: the default study's scenario built in code, the shipped
// PD MLP and the Fashion-MNIST test set (loaded once per test binary).
#include <google/protobuf/text_format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "configs/schema/scenario.pb.h"
#include "models/architecture.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "pe/accelerator.h"
#include "tests/file_text.h"

namespace nocsim::pe::testing {

inline config::TechConfig tech(const std::string& node = "45nm") {
  config::TechConfig t;
  google::protobuf::TextFormat::ParseFromString(
      nocsim::testing::slurp(std::string(NOCSIM_SOURCE_DIR) + "/configs/tech/" + node +
                             ".textproto"),
      &t);
  return t;
}

// 4x4 mesh, MCs at the corners, 12 tiles, identity codec: configs/study/fmnist_pd_mlp.textproto.
inline config::Scenario default_study() {
  config::Scenario sc;
  const char* text = R"pb(
    name: "test"
    noc {
      topology { kind: "mesh" k_x: 4 }
      routing { algorithm: "xy" }
    }
    sim { seed: 1 }
    codec { stages { name: "identity" } }
  )pb";
  google::protobuf::TextFormat::ParseFromString(text, &sc);
  *sc.mutable_tech() = tech();
  return sc;
}

inline void set_codec(config::Scenario& sc, const std::string& name, int bits = 0) {
  sc.mutable_codec()->clear_stages();
  auto* st = sc.mutable_codec()->add_stages();
  st->set_name(name);
  if (bits > 0) (*st->mutable_params())["bits"] = std::to_string(bits);
}

inline const config::ModelFile& pd_mlp() {
  static const config::ModelFile spec =
      models::read_model_file(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/pd_mlp_p4.pb");
  return spec;
}

// A small CNN (conv 4 and 8 channels, 3x3 kernels, one PD hidden layer of 32, p = 4): shapes only.
inline config::ModelFile small_cnn_shapes() {
  models::ArchitectureOptions o;
  o.conv_channels = {4, 8};
  o.conv_kernel = 3;
  o.hidden = {32};
  o.block_sizes = {4};
  return models::build_architecture("cnn", o);
}

inline const models::Dataset& test_set() {
  static const models::Dataset data = models::load_fashion_mnist("", models::Split::kTest);
  return data;
}

inline bool sanitized() {
  return std::getenv("NOCSIM_SANITIZED") != nullptr;
}

inline config::AcceleratorResult run(const config::Scenario& sc,
                                     const config::ModelFile& model = pd_mlp(),
                                     bool accuracy = false) {
  RunInputs in;
  in.scenario = &sc;
  in.model = &model;
  in.test = has_parameters(model) ? &test_set() : nullptr;
  in.measure_accuracy = accuracy;
  return run_accelerator(in);
}

}  // namespace nocsim::pe::testing
