#pragma once
// The one random-number generator of nocsim: xoshiro256** seeded through splitmix64. Written out
// rather than taken from <random> because the standard distributions differ between library
// implementations, and "same config + same seed = bit-identical results" must hold everywhere.
#include <cstdint>

namespace nocsim {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& w : s_) w = splitmix64(x);
  }

  // Independent stream for a sub-component (e.g. one per terminal) derived from a parent seed.
  static Rng derive(uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ (0x9E3779B97F4A7C15ull * (stream + 1));
    return Rng(splitmix64(x));
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n) (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
  uint32_t below(uint32_t n) {
    return static_cast<uint32_t>((static_cast<__uint128_t>(next() >> 32) * n) >> 32);
  }

  bool bernoulli(double p) { return uniform() < p; }

  // Pseudo-random bits of `x` (splitmix64 of it): a random value keyed by a counter, where a
  // stream would need its own state.
  static uint64_t hash(uint64_t x) { return splitmix64(x); }

  // Standard normal via Box-Muller (deterministic, no cached second value).
  double normal();

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

}  // namespace nocsim
