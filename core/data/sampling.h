#pragma once
// Deterministic sampling of calibration items: the same (population, n, seed) gives the same
// selection on every platform and standard library (a hand-written SplitMix64 generator and
// Fisher-Yates shuffle; no <random> distributions, whose output is implementation-defined).
// The first k picks of a sample of n are the sample of k with the same seed.
// Pure functions, thread-safe; SplitMix64 objects are not shared between threads.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace taskquant::data {

// SplitMix64 (Steele, Lea, Flood 2014), as used to seed xoshiro generators.
class SplitMix64 {
  public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}
    uint64_t next();
    // Uniform in [0, bound), without modulo bias (rejection sampling). bound must be > 0.
    uint64_t below(uint64_t bound);

  private:
    uint64_t state_;
};

// Indices of min(n, population) distinct items of [0, population), in sampled order: the first
// steps of a Fisher-Yates shuffle. n >= population gives a shuffled permutation of all.
std::vector<std::size_t> sampleIndices(std::size_t population, std::size_t n, uint64_t seed = 0);

// The items at sampleIndices(texts.size(), n, seed).
std::vector<std::string> sampleTexts(const std::vector<std::string>& texts, std::size_t n,
                                     uint64_t seed = 0);

} // namespace taskquant::data
