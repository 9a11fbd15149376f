#pragma once
// What the trace fuzzer runs on each input (and tests/noc/traffic/trace_fuzz_corpus_test.cc on
// each checked-in input): the trace reader against a 4x4 mesh with the default cycle limit.
#include <cstddef>
#include <cstdint>
#include <string>

#include "configs/user_error.h"
#include "noc/sim_params.h"
#include "noc/traffic/trace_reader.h"

namespace nocsim::noc::fuzz {

// True when the input read as a trace; its records are then checked to be sorted and in range.
inline bool run_trace(const uint8_t* data, size_t size) {
  static const Topology mesh = Topology::mesh(4, 4);
  const uint64_t max_cycles = SimParams{}.max_cycles;
  try {
    const auto records = parse_trace(std::string(reinterpret_cast<const char*>(data), size),
                                     "fuzz.trace", mesh, max_cycles);
    for (size_t i = 0; i < records.size(); ++i) {
      if ((i > 0 && records[i].cycle() < records[i - 1].cycle()) ||
          records[i].source() >= mesh.num_terminals() || records[i].cycle() >= max_cycles)
        __builtin_trap();  // the reader let through what it promises to refuse
    }
    return true;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace nocsim::noc::fuzz
