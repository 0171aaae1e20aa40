#pragma once
// Spearman rank correlation between two maps over the tensors they share (matched by name),
// with average ranks for ties (Pearson correlation of the rank vectors), as scipy.stats.spearmanr
// computes it. Pure function, thread-safe.
// The vector forms are core/policy/compare.h's (policy::averageRanks, policy::spearman), here
// under demo:: too.
#include <cstddef>
#include <vector>

#include "core/policy/compare.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::demo {

// Average ranks (1-based) of values: tied values share the mean of their positions.
using policy::averageRanks;

// Spearman's rho of two equally long vectors; NaN when shorter than 2 or either is constant.
using policy::spearman;

struct MapCorrelation {
    double rho = 0;
    std::size_t shared = 0; // tensors present in both maps
};
MapCorrelation spearman(const sensitivity::SensitivityMap& a, const sensitivity::SensitivityMap& b);

} // namespace taskquant::demo
