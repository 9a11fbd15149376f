#include "models/precision.h"

#include <array>

#include "configs/user_error.h"

namespace nocsim::models {

namespace {
constexpr std::array<Precision, 4> kPrecisions = {{
    {"fp32", 32, true},
    {"fp16", 16, true},
    {"int16", 16, false},
    {"int8", 8, false},
}};
}  // namespace

std::span<const Precision> precisions() {
  return kPrecisions;
}

Precision precision_by_name(const std::string& name, const std::string& field) {
  const std::string n = name.empty() ? kDefaultPrecision : name;
  std::string valid;
  for (const Precision& p : kPrecisions) {
    if (n == p.name) return p;
    valid += (valid.empty() ? "" : ", ") + std::string(p.name);
  }
  throw UserError(field, "unknown precision '" + n + "' (valid: " + valid +
                             "; a 32-bit fixed-point datapath would need an accumulator wider "
                             "than 64 bits, so int32 is not offered)");
}

std::string Datapath::multiplier() const {
  if (integer()) return weights.bits >= activations.bits ? weights.name : activations.name;
  int bits = 0;
  for (const Precision& p : {weights, activations})
    if (p.is_float && p.bits > bits) bits = p.bits;
  return "fp" + std::to_string(bits);
}

std::string Datapath::accumulator() const {
  if (!integer()) return "fp32";
  return weights.bits == 8 && activations.bits == 8 ? "int32" : "int64";
}

}  // namespace nocsim::models
