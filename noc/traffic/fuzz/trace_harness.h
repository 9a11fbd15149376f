#pragma once
// What the trace fuzzers run on each input (and tests/noc/traffic/trace_fuzz_corpus_test.cc on
// each checked-in input): the trace readers against a 4x4 mesh with the default cycle limit.
// fuzz_trace feeds the replay reader (either form, told apart by the contents); fuzz_trace_text
// feeds the text reader and writes back what it read, which must read again to the same trace.
#include <cstddef>
#include <cstdint>
#include <string>

#include "configs/user_error.h"
#include "noc/sim_params.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/trace_text.h"

namespace nocsim::noc::fuzz {

// True when the input read as a trace; its records are then checked to be sorted and in range.
inline bool run_trace(const uint8_t* data, size_t size) {
  static const Topology mesh = Topology::mesh(4, 4);
  const uint64_t max_cycles = SimParams{}.max_cycles;
  try {
    const auto records = parse_trace(std::string(reinterpret_cast<const char*>(data), size),
                                     "fuzz.trace", mesh, max_cycles);
    const uint32_t n = mesh.num_terminals();
    for (size_t i = 0; i < records.size(); ++i) {
      const auto& r = records[i];
      bool bad = (i > 0 && r.cycle() < records[i - 1].cycle()) || r.source() >= n ||
                 r.destination() >= n || r.cycle() >= max_cycles || r.destinations_size() == 1;
      for (uint32_t d : r.destinations()) bad = bad || d >= n || d == r.source();
      if (bad) __builtin_trap();  // the reader let through what it promises to refuse
    }
    return true;
  } catch (const UserError&) {
    return false;
  }
}

// True when the input read as a text trace; writing it out and reading that back must give the
// same trace and the same text.
inline bool run_trace_text(const uint8_t* data, size_t size) {
  static const Topology mesh = Topology::mesh(4, 4);
  const TraceLimits limits{.terminals = mesh.num_terminals(), .max_cycles = SimParams{}.max_cycles};
  config::Trace trace;
  try {
    trace = parse_text_trace(std::string_view(reinterpret_cast<const char*>(data), size),
                             "fuzz.txt", "fuzz", limits);
  } catch (const UserError&) {
    return false;
  }
  const std::string text = trace_to_text(trace);
  try {
    const config::Trace again = parse_text_trace(text, "fuzz.txt", "fuzz", limits);
    if (again.SerializeAsString() != trace.SerializeAsString() || trace_to_text(again) != text)
      __builtin_trap();  // the writer and the reader disagree
  } catch (const UserError&) {
    __builtin_trap();  // the reader refused what the writer wrote
  }
  return true;
}

}  // namespace nocsim::noc::fuzz
