#pragma once
// Number formats of a fixed-point or floating-point datapath (the weights and activations a PE
// multiplies), and what a pair of them implies for the multiplier and the accumulator. The
// functional model (models/quantized_model.h) computes with these formats; pe/ prices the MACs.
//
//   fp32  IEEE binary32, today's datapath (the default)
//   fp16  IEEE binary16 (round to nearest even, overflow to infinity)
//   int8, int16  symmetric fixed point: q = round(x / s) clamped to [-(2^(b-1) - 1), 2^(b-1) - 1],
//                with one scale s per tensor (models/quantized_model.h says how s is chosen)
#include <span>
#include <string>

namespace nocsim::models {

struct Precision {
  const char* name;
  int bits;
  bool is_float;
  // Largest magnitude of a fixed-point value (integer formats only).
  int qmax() const { return (1 << (bits - 1)) - 1; }
  bool operator==(const Precision& o) const { return std::string(name) == o.name; }
};

// The one default of both precisions.
inline constexpr const char* kDefaultPrecision = "fp32";

// Every format, in the order an error message lists them.
std::span<const Precision> precisions();
// The format called `name`; "" = kDefaultPrecision; otherwise a UserError on `field` listing the
// valid names.
Precision precision_by_name(const std::string& name, const std::string& field);

// One PE multiply-accumulate: weight x activation added into an accumulator.
//   both integer: an integer multiplier as wide as the wider operand; a 32-bit accumulator for
//     int8 x int8 (exact for up to 133,000 terms of full magnitude, 127^2 * n < 2^31), a 64-bit
//     one as soon as an operand is int16 (exact for 2^33 terms);
//   otherwise (a float operand): integer operands are converted to float, the multiplier is the
//     widest float format among the operands and the accumulator is fp32.
struct Datapath {
  Precision weights = precision_by_name("", ""), activations = precision_by_name("", "");
  // Today's datapath (fp32 x fp32): the model's own float kernels, no quantisation at all.
  bool is_default() const {
    return weights.is_float && activations.is_float && weights.bits == 32 && activations.bits == 32;
  }
  bool integer() const { return !weights.is_float && !activations.is_float; }
  // Name of the multiplier's format ("int8", "int16", "fp16", "fp32").
  std::string multiplier() const;
  // Name of the accumulator's format ("int32", "int64", "fp32").
  std::string accumulator() const;
};

}  // namespace nocsim::models
