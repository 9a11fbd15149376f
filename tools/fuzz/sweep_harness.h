#pragma once
// What the sweep fuzzer runs on each input (and tests/tools/fuzz_corpus_test.cc on each checked-in
// input): the sweep-file parser and the loading of every point (base scenario, overrides). The
// input is the sweep file; it sits next to a small base scenario, base.textproto.
#include <google/protobuf/text_format.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "configs/schema/sweep.pb.h"
#include "configs/user_error.h"
#include "tools/fuzz/fuzz_files.h"
#include "tools/sweep.h"

namespace nocsim::tools::fuzz {

inline constexpr const char* kSweepBase =
    "noc { topology { kind: \"mesh\" k_x: 4 } router { num_vcs: 2 } }\n"
    "traffic { pattern: \"uniform\" injection_rate: 0.1 }\n"
    "sim { seed: 1 }\n";

// Points a fuzzed sweep may ask for: load_sweep builds every point up front (issue 14: lazy points
// are the sweep code's to add), so a larger product only measures that, slowly.
inline constexpr uint64_t kMaxFuzzPoints = 256;

// True when the sweep loaded.
inline bool run_sweep_file(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  config::Sweep parsed;
  if (google::protobuf::TextFormat::ParseFromString(text, &parsed)) {
    uint64_t points = 1;
    for (const auto& axis : parsed.axes()) {
      points *= static_cast<uint64_t>(std::max(1, axis.values_size() + axis.variants_size()));
      if (points > kMaxFuzzPoints) return false;
    }
  }
  write_scratch("base.textproto", kSweepBase);
  const std::string path = write_scratch("sweep.textproto", text);
  try {
    load_sweep(path, {}, (scratch_dir() / "results").string());
    return true;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace nocsim::tools::fuzz
