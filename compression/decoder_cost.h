#pragma once
// What a PE pays to decode weights with a codec's hardware decoder. The figures are a first-order
// model (see compression/README.md, "Decoder cost model"): a decoder consumes one 64-bit word of
// stream per cycle when fields have fixed width, resolves one Huffman codeword per cycle, and
// energies are 45 nm estimates after Horowitz (ISSCC 2014).
#include <cstdint>

namespace nocsim::compression {

struct DecoderCost {
  uint32_t latency_cycles = 0;        // pipeline depth: first weight out after this many cycles
  double weights_per_cycle = 1.0;     // sustained throughput
  double energy_pj_per_weight = 0.0;  // dynamic energy per decoded weight
};

// Building blocks of the estimates, pJ per operation at 45 nm.
namespace energy_pj {
inline constexpr double kShiftMask = 0.03;      // field extract / rewire, ~ an 8-bit add
inline constexpr double kAdd32 = 0.1;           // 32-bit integer add
inline constexpr double kIntMul8 = 0.2;         // 8-bit multiply
inline constexpr double kFpAdd32 = 0.9;         // fp32 add
inline constexpr double kFpMul32 = 3.7;         // fp32 multiply
inline constexpr double kSmallTableRead = 0.5;  // <= 256-entry register-file codebook read
inline constexpr double kLutRead = 2.0;         // 2K-entry SRAM lookup table read (Huffman)
}  // namespace energy_pj

}  // namespace nocsim::compression
