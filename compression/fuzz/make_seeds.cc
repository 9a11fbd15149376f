// Writes the seed corpus of every decoder fuzz target: valid encodings of small weight vectors
// (Gaussian, hostile finite values, NaN/Inf, a single weight) in every parameter variant, so the
// fuzzer starts past the header checks. Usage: nocsim_fuzz_seeds <corpus dir>; the output is
// deterministic and checked in under compression/fuzz/corpus/<codec>/.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>

#include "compression/fuzz/decode_harness.h"
#include "configs/rng.h"

namespace {

using namespace nocsim::compression;

std::vector<std::vector<float>> samples() {
  nocsim::Rng rng(2026);
  std::vector<std::vector<float>> out;
  std::vector<float> g(96);
  for (auto& x : g) x = static_cast<float>(0.05 * rng.normal());
  out.push_back(g);
  std::vector<float> hostile = {0.0f,  -0.0f,  1e-40f,   -3e-45f, 1e-30f,  123456.0f, -7.5e5f,
                                1.0f,  -1.0f,  65504.0f, 7e4f,    2.0e-5f, 0.5f,      -0.25f,
                                3e38f, -3e38f, 0.125f,   0.1f,    -0.1f,   0.3f};
  out.push_back(hostile);
  const float inf = std::numeric_limits<float>::infinity();
  out.push_back({std::numeric_limits<float>::quiet_NaN(), inf, -inf, 0.5f, -0.5f, 0.0f, 1e-3f});
  out.push_back({0.75f});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: nocsim_fuzz_seeds <corpus dir>\n";
    return 2;
  }
  const std::filesystem::path root = argv[1];
  for (const std::string& name : fuzz::codec_names()) {
    const fuzz::Harness harness(name);
    std::filesystem::create_directories(root / name);
    int count = 0;
    for (size_t v = 0; v < harness.num_variants(); ++v) {
      const auto all = samples();
      for (size_t s = 0; s < all.size(); ++s) {
        const auto& w = all[s];
        // Two chunks when there is room, so a seed is a middle-of-layer chunk, not the layer.
        const size_t cut = w.size() > 8 ? w.size() / 3 : 0;
        const std::vector<size_t> bounds =
            cut ? std::vector<size_t>{0, cut, w.size()} : std::vector<size_t>{0, w.size()};
        const EncodedLayer e = harness.codec(v).encode(w, bounds);
        const size_t c = e.chunks.size() - 1;
        const std::string input = fuzz::make_input(
            static_cast<uint8_t>(v), static_cast<uint16_t>(e.bounds[c + 1] - e.bounds[c]), e.header,
            e.chunks[c]);
        const auto* bytes = reinterpret_cast<const uint8_t*>(input.data());
        if (!harness.run(bytes, input.size())) {
          std::cerr << name << " variant " << v << " sample " << s << ": seed does not decode\n";
          return 1;
        }
        char file[64];
        std::snprintf(file, sizeof file, "seed_v%zu_s%zu", v, s);
        std::ofstream(root / name / file, std::ios::binary) << input;
        ++count;
      }
    }
    std::cout << name << ": " << count << " seeds\n";
  }
  return 0;
}
