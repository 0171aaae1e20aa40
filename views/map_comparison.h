#pragma once
// The views' form of core/policy/compare.h: a comparison of two maps of one model with Qt
// names, for the scatter, the task diff heatmap and the rank-shift table. Statistics
// (Spearman, Kendall tau-b, ranks over the common tensors, log2(B / A) with zero scores
// floored) come from core unchanged. Pure functions; thread-safe.
#include <QString>
#include <QStringList>
#include <vector>

#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::views {

struct TensorComparison {
    QString name;
    double a = 0, b = 0;      // scores
    int rankA = 0, rankB = 0; // 1 = highest, among the tensors both maps have
    double log2Ratio = 0;     // log2(b / a)
};

struct MapComparison {
    std::vector<TensorComparison> rows; // tensors in both maps, in A's entry order
    double spearman = 0;                // NaN when undefined
    double kendall = 0;
};

// Empty (NaN statistics) when the maps have no tensor in common. With normaliseToMax each
// map is divided by its maximum first (a and b, and so log2Ratio, are shares of the maximum).
MapComparison compareMaps(const sensitivity::SensitivityMap& a,
                          const sensitivity::SensitivityMap& b, bool normaliseToMax = false);
// core policy::silentTensors (Fisher top 10 %, magnitude bottom 50 %), most divergent first,
// at most `count`.
QStringList silentTensorNames(const sensitivity::SensitivityMap& fisher,
                              const sensitivity::SensitivityMap& magnitude, int count);

} // namespace taskquant::views
