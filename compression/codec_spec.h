#pragma once
// The compact command-line form of a CodecConfig (`--codec SPEC`):
//
//   spec   := { "@" plugin-path "+" } stage { "+" stage }
//   stage  := name [ ":" key "=" value { "," key "=" value } ]
//
// e.g. "fp16", "quant:bits=4,granularity=block,block=64", "kmeans:bits=4+huffman",
// "int4:granularity=block" (shorthands: intN = quant:bits=N for N = 1..16, fp32 = identity),
// "@./libnocsim_example_codec.so+example_sign:scale=0.01". Only the syntax is checked here; names
// and parameters are validated when the codec is built.
#include <functional>
#include <string>

#include "configs/schema/codec.pb.h"

namespace nocsim::compression {

// Throws UserError on `field` for a malformed spec.
config::CodecConfig parse_codec_spec(const std::string& spec, const std::string& field = "codec");
// The inverse (parameters in name order).
std::string format_codec_spec(const config::CodecConfig& config);

// `spec` with the path of every "@plugin" part replaced by `path(old)`, the rest kept as written.
// A new path containing '+' (which would end the part) is a UserError on `field`.
std::string rewrite_spec_plugins(const std::string& spec,
                                 const std::function<std::string(const std::string&)>& path,
                                 const std::string& field);

}  // namespace nocsim::compression
