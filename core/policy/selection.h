#pragma once
// Which tensors to protect (keep in high precision): the TaskQuant study's selection methods
// over a list of candidates (normally the quantizable linear weights of a map).
//  * threshold methods (pct, otsu, elbow, gradient, cumulative): keep score >= threshold
//    (thresholds.h); inverted: keep score <= threshold (the study's invert_selection).
//  * knapsack: the study's greedy: candidates sorted by score per byte saved (bytes kept -
//    bytes quantized, only candidates where that is > 0), taken in that order whenever they
//    still fit in the budget. Inverted: lowest score per byte first.
//  * blocks: candidates grouped by transformer block (taxonomy layer; names outside blocks
//    form one more group), blocks ranked by mean score (stable: ties keep first-seen order),
//    the top max(1, floor(blocks * keepRatio)) kept whole. Inverted: lowest mean first.
// Pure functions; thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskquant::policy {

enum class SelectionMethod { Percentile, Otsu, Elbow, Gradient, Cumulative, Knapsack, Blocks };

// "pct"/"percentile", "otsu", "elbow"/"elb", "gradient", "cumulative", "knapsack",
// "blocks"/"block_aware". Throws taskquant::Error on anything else.
SelectionMethod parseSelectionMethod(const std::string& name);
std::string selectionMethodName(SelectionMethod m); // "pct", "otsu", "elbow", ...

struct Candidate {
    std::string name;
    double score = 0;
    uint64_t bytesKept = 0;      // size at the high precision (knapsack only)
    uint64_t bytesQuantized = 0; // size at the low precision (knapsack only)
};

struct SelectionParams {
    SelectionMethod method = SelectionMethod::Percentile;
    double keepFraction = 0.20;    // pct: fraction kept; blocks: fraction of blocks kept
    double gradientRatio = 0.05;   // gradient
    double cumulativeShare = 0.95; // cumulative
    double budgetMiB = 0;          // knapsack: extra MiB (2^20 bytes) allowed for kept tensors
    bool invert = false;
};

struct Selection {
    std::vector<std::string> kept;   // in candidate order
    std::optional<double> threshold; // threshold methods
    std::optional<std::size_t> knee; // elbow: knee index (nullopt = 0.2-quantile fallback)
    uint64_t extraBytes = 0;         // knapsack: sum of bytesKept - bytesQuantized over kept
    std::vector<int> keptBlocks;     // blocks: layer indices kept (-1 = the outside group)
};

// Throws taskquant::Error for invalid parameters (fractions outside 0..1, negative budget,
// no candidates, non-finite or negative scores).
Selection selectProtected(const std::vector<Candidate>& candidates, const SelectionParams& params);

} // namespace taskquant::policy
