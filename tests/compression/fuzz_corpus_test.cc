// Replays the checked-in fuzz corpus (compression/fuzz/corpus/<codec>/) through the same harness
// the libFuzzer targets use, so every seed and every saved crash input also runs in the ordinary
// (and the ASan/UBSan) suite without clang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "compression/fuzz/decode_harness.h"

namespace nocsim::compression {
namespace {

std::vector<uint8_t> read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FuzzCorpus, EveryTargetHasSeedsThatDecodeWithTheCurrentFormat) {
  const std::filesystem::path root =
      std::filesystem::path(NOCSIM_SOURCE_DIR) / "compression/fuzz/corpus";
  for (const std::string& name : fuzz::codec_names()) {
    SCOPED_TRACE(name);
    const fuzz::Harness harness(name);
    ASSERT_TRUE(std::filesystem::is_directory(root / name));
    int seeds = 0;
    for (const auto& entry : std::filesystem::directory_iterator(root / name)) {
      const auto bytes = read_all(entry.path());
      // Seeds are valid encodings (a stale seed means a format changed: regenerate them with
      // nocsim_fuzz_seeds); any other file is a saved input that must be rejected or decoded
      // cleanly, never crash.
      if (entry.path().filename().string().rfind("seed_", 0) == 0) {
        EXPECT_TRUE(harness.run(bytes.data(), bytes.size())) << entry.path();
        ++seeds;
      } else {
        harness.run(bytes.data(), bytes.size());
      }
    }
    EXPECT_GE(seeds, 4);
  }
}

TEST(FuzzCorpus, HarnessRejectsGarbageWithoutCrashing) {
  // Mutations of a valid seed: every truncation and every single-bit flip of the first bytes.
  for (const std::string& name : fuzz::codec_names()) {
    SCOPED_TRACE(name);
    const fuzz::Harness harness(name);
    std::vector<float> w(40);
    for (size_t i = 0; i < w.size(); ++i) w[i] = 0.01f * static_cast<float>(i) - 0.2f;
    const EncodedLayer e = harness.codec(0).encode(w, 0);
    const std::string input = fuzz::make_input(0, 40, e.header, e.chunks[0]);
    std::vector<uint8_t> bytes(input.begin(), input.end());
    ASSERT_TRUE(harness.run(bytes.data(), bytes.size()));
    for (size_t len = 0; len < bytes.size(); ++len) harness.run(bytes.data(), len);
    for (size_t bit = 0; bit < std::min<size_t>(bytes.size() * 8, 512); ++bit) {
      auto m = bytes;
      m[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      harness.run(m.data(), m.size());
    }
  }
}

}  // namespace
}  // namespace nocsim::compression
