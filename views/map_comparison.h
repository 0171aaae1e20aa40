#pragma once
// Comparison of two sensitivity maps of one model, for the scatter and task diff views:
// per-tensor scores and ranks in both, log2 ratio, Spearman and Kendall rank correlations
// and the "silent" tensors (ranked much higher by A than by B: with A = Fisher and
// B = magnitude, tensors the task needs although their weights are small).
// NOTE: a minimal version kept in views until core/policy/compare.h exists (issue 4); it
// should then delegate to core. Pure functions; thread-safe.
#include <QString>
#include <vector>

#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::views {

struct TensorComparison {
    QString name;
    double a = 0, b = 0;   // scores
    int rankA = 0, rankB = 0; // 1 = highest, among the tensors both maps have
    double log2Ratio = 0;  // log2(b / a); NaN when either score is 0
};

struct MapComparison {
    std::vector<TensorComparison> rows; // tensors in both maps, in A's entry order
    double spearman = 0;                // NaN with fewer than 2 tensors or a constant map
    double kendall = 0;                 // tau-b; NaN likewise
};

MapComparison compareMaps(const sensitivity::SensitivityMap& a,
                          const sensitivity::SensitivityMap& b);

// Ranks 1..n by descending value, ties broken by position (as SensitivityMap::ranks()).
std::vector<int> descendingRanks(const std::vector<double>& values);
// Spearman's rho: Pearson correlation of the average ranks (ties share their mean rank).
double spearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y);
// Kendall's tau-b (tie-corrected), O(n^2).
double kendallTauB(const std::vector<double>& x, const std::vector<double>& y);
// Row indices of the `count` rows with the largest rankB - rankA (> 0 only), largest first.
std::vector<std::size_t> silentTensors(const MapComparison& c, std::size_t count);

} // namespace taskquant::views
