#include "pe/datapath.h"

#include <google/protobuf/descriptor.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "configs/user_error.h"

namespace nocsim::pe {

namespace {

// A figure of the preset by name (the schema holds one per operation and format).
double tech_figure(const config::TechConfig& tech, const std::string& name) {
  const auto* field = tech.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr) throw std::logic_error("tech.proto has no figure " + name);
  return tech.GetReflection()->GetDouble(tech, field);
}

}  // namespace

models::Datapath resolve_datapath(const config::DatapathConfig& c) {
  return {models::precision_by_name(c.weight_precision(), "accelerator.datapath.weight_precision"),
          models::precision_by_name(c.activation_precision(),
                                    "accelerator.datapath.activation_precision")};
}

void require_codec_feeds(const compression::CodecChain& codec, models::Precision weights,
                         const std::string& field, const std::string& layer) {
  const double bits = codec.nominal_bits_per_weight();
  if (bits < weights.bits + 1.0) return;
  char what[200];
  std::snprintf(what, sizeof what, "%.2f bits per weight", bits);
  throw UserError(field, "the codec '" + codec.spec() + "'" +
                             (layer.empty() ? "" : " (layer '" + layer + "')") + " sends " + what +
                             ", more than the " + std::to_string(weights.bits) + "-bit " +
                             weights.name +
                             " weights the datapath keeps: choose a codec of at most that many "
                             "bits per weight (e.g. quant:bits=8 for int8, fp16 for 16 bits) or "
                             "a wider weight_precision");
}

double mac_energy_pj(const config::TechConfig& tech, const models::Datapath& dp) {
  const double mult = tech_figure(tech, dp.multiplier() + "_mult_pj");
  const double add = tech_figure(tech, dp.accumulator() + "_add_pj");
  return (std::round(mult * 1e6) + std::round(add * 1e6)) / 1e6;
}

double mac_area_mm2(const config::TechConfig& tech, const models::Datapath& dp) {
  return (tech_figure(tech, dp.multiplier() + "_mult_um2") +
          tech_figure(tech, dp.accumulator() + "_add_um2")) *
         1e-6;
}

}  // namespace nocsim::pe
