#include "core/tokenize/nfc.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/util/utf8.h"

namespace taskquant::tokenize {
namespace {

struct CccRange {
    uint32_t first, last;
    uint8_t ccc;
};
struct Decomposition {
    uint32_t cp, first, second;
    uint8_t composes;
};
#include "core/tokenize/nfc_data.inc"
struct CompatDecomposition {
    uint32_t cp, offset, length;
};
#include "core/tokenize/nfkc_data.inc"

constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount;
constexpr char32_t kSCount = kLCount * kNCount;

struct Tables {
    std::unordered_map<char32_t, const Decomposition*> decomposition;
    std::unordered_map<uint64_t, char32_t> composition;
    std::unordered_map<char32_t, const CompatDecomposition*> compat;
    Tables() {
        compat.reserve(std::size(kCompatDecompositions));
        for (const auto& d : kCompatDecompositions)
            compat.emplace(d.cp, &d);
        decomposition.reserve(std::size(kDecompositions));
        for (const auto& d : kDecompositions) {
            decomposition.emplace(d.cp, &d);
            if (d.composes)
                composition.emplace((uint64_t(d.first) << 32) | d.second, d.cp);
        }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

int ccc(char32_t cp) {
    if (cp < 0x300)
        return 0;
    auto it = std::upper_bound(std::begin(kCccRanges), std::end(kCccRanges), cp,
                               [](char32_t c, const CccRange& r) { return c < r.first; });
    if (it == std::begin(kCccRanges))
        return 0;
    --it;
    return cp <= it->last ? it->ccc : 0;
}

void decompose(char32_t cp, std::vector<char32_t>& out) {
    if (cp >= kSBase && cp < kSBase + kSCount) {
        const char32_t s = cp - kSBase;
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount)
            out.push_back(kTBase + s % kTCount);
        return;
    }
    const auto& map = tables().decomposition;
    auto it = cp < 0xC0 ? map.end() : map.find(cp);
    if (it == map.end()) {
        out.push_back(cp);
        return;
    }
    decompose(it->second->first, out);
    if (it->second->second)
        decompose(it->second->second, out);
}

char32_t compose(char32_t a, char32_t b) {
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
        b < kTBase + kTCount)
        return a + (b - kTBase);
    const auto& map = tables().composition;
    auto it = map.find((uint64_t(a) << 32) | b);
    return it == map.end() ? 0 : it->second;
}

// Compatibility decomposition: the full NFKD of cp where it differs from the canonical one.
void decomposeCompat(char32_t cp, std::vector<char32_t>& out) {
    const auto& map = tables().compat;
    auto it = cp < 0xA0 ? map.end() : map.find(cp);
    if (it == map.end())
        return decompose(cp, out);
    for (uint32_t k = 0; k < it->second->length; ++k)
        out.push_back(kCompatData[it->second->offset + k]);
}

std::string normalize(const std::string& text, bool compat) {
    bool simple = true;
    for (unsigned char c : text)
        if (c >= (compat ? 0xC2 : 0xCC)) { // lead bytes of U+00A0 / U+0300 and above
            simple = false;
            break;
        }
    if (simple)
        return text;

    std::vector<char32_t> cps;
    cps.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = utf8::decode(text, i);
        if (compat)
            decomposeCompat(cp, cps);
        else
            decompose(cp, cps);
    }
    // Canonical ordering: stable sort of each run of non-starters by combining class.
    for (std::size_t i = 0; i < cps.size();) {
        if (ccc(cps[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < cps.size() && ccc(cps[j]) != 0)
            ++j;
        std::stable_sort(cps.begin() + i, cps.begin() + j,
                         [](char32_t a, char32_t b) { return ccc(a) < ccc(b); });
        i = j;
    }
    // Canonical composition.
    if (!cps.empty()) {
        std::size_t starter = 0, out = 1;
        int lastClass = ccc(cps[0]) ? 256 : 0;
        for (std::size_t i = 1; i < cps.size(); ++i) {
            const char32_t c = cps[i];
            const int cls = ccc(c);
            const char32_t composite = compose(cps[starter], c);
            if (composite && (lastClass < cls || lastClass == 0)) {
                cps[starter] = composite;
                continue;
            }
            if (cls == 0)
                starter = out;
            lastClass = cls;
            cps[out++] = c;
        }
        cps.resize(out);
    }
    std::string result;
    result.reserve(text.size());
    for (char32_t c : cps)
        utf8::append(result, c);
    return result;
}

} // namespace

std::string nfc(const std::string& text) {
    return normalize(text, false);
}
std::string nfkc(const std::string& text) {
    return normalize(text, true);
}

} // namespace taskquant::tokenize
