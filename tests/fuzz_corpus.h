#pragma once
// Replays a reader fuzzer's checked-in corpus (<folder>/fuzz/corpus/<name>/) through the same
// harness the libFuzzer target runs, so that every seed and every saved crash input also runs in
// the ordinary and the sanitizer suites without clang. Seeds (seed_*) must load; any other file is
// a saved input that must be refused or loaded cleanly, never crash.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace nocsim::testing {

template <typename Harness>
void replay_corpus(const std::string& corpus, Harness&& harness, int min_seeds = 2) {
  const std::filesystem::path dir = std::filesystem::path(NOCSIM_SOURCE_DIR) / corpus;
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                     std::istreambuf_iterator<char>()};
    const bool loaded = harness(bytes.data(), bytes.size());
    if (entry.path().filename().string().rfind("seed_", 0) == 0) {
      EXPECT_TRUE(loaded) << entry.path() << " no longer loads: regenerate the seeds";
      ++seeds;
    }
  }
  EXPECT_GE(seeds, min_seeds) << dir;
}

// Every truncation and a spread of byte flips of `input` run through the harness: none may crash.
template <typename Harness>
void mutate_and_replay(const std::vector<uint8_t>& input, Harness&& harness) {
  for (size_t len = 0; len < input.size(); len += 1 + input.size() / 200)
    harness(input.data(), len);
  for (size_t at = 0; at < input.size(); at += 1 + input.size() / 300) {
    auto m = input;
    m[at] = static_cast<uint8_t>(m[at] ^ 0x5A);
    harness(m.data(), m.size());
  }
}

}  // namespace nocsim::testing
