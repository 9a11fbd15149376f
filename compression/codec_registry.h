#pragma once
// Every codec registers here by name, from its own file:
//
//   NOCSIM_REGISTER(codec_registry(), Quantize, "quant", "uniform quantization ...");
//
// The factory receives the stage's CodecParams; the constructor declares and reads its parameters.
#include "compression/codec.h"
#include "compression/codec_params.h"
#include "configs/registry.h"

namespace nocsim::compression {

using CodecRegistry = Registry<Codec, CodecParams&>;
CodecRegistry& codec_registry();

}  // namespace nocsim::compression
