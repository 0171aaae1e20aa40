#include "core/data/sampling.h"

#include <numeric>
#include <utility>

namespace taskquant::data {

uint64_t SplitMix64::next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t SplitMix64::below(uint64_t bound) {
    // Values under `threshold` would make some residues more likely; draw again.
    const uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t r = next();
        if (r >= threshold)
            return r % bound;
    }
}

std::vector<std::size_t> sampleIndices(std::size_t population, std::size_t n, uint64_t seed) {
    std::vector<std::size_t> idx(population);
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    const std::size_t k = n < population ? n : population;
    SplitMix64 rng(seed);
    for (std::size_t i = 0; i < k; ++i) {
        std::size_t j = i + static_cast<std::size_t>(rng.below(population - i));
        std::swap(idx[i], idx[j]);
    }
    idx.resize(k);
    return idx;
}

std::vector<std::string> sampleTexts(const std::vector<std::string>& texts, std::size_t n,
                                     uint64_t seed) {
    std::vector<std::string> out;
    for (std::size_t i : sampleIndices(texts.size(), n, seed))
        out.push_back(texts[i]);
    return out;
}

} // namespace taskquant::data
