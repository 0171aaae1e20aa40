#pragma once
// Comparing sensitivity maps, and the per-layer / per-kind statistics of one map.
//  * rank correlations over the tensors both maps have: Spearman (Pearson correlation of
//    average ranks, ties averaged) and Kendall tau-b (tie-corrected); NaN when undefined
//    (fewer than 2 tensors, or one side constant);
//  * top-k overlap: |top k of A  ∩  top k of B| / k (k clipped to the common count);
//  * per tensor log2(B / A), each map first divided by its maximum when normalised; scores
//    of 0 are floored to the smallest positive score of their map so the ratio is finite;
//  * "silent" tensors (the study's Layer 29 k_proj in Phi-2): high in a Fisher-like map and
//    low in a magnitude-like map: Fisher rank in its top `fisherTop` fraction and magnitude
//    rank in its bottom `magnitudeBottom` fraction, most divergent first;
//  * aggregates per layer and per module kind (count, sum, mean, max, parameter count) and
//    the sorted curve normalised to its maximum (the study's figures).
// Pure functions; thread-safe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/models/taxonomy.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::policy {

// 1-based ranks in ascending order of value, ties get the mean of their positions.
std::vector<double> averageRanks(const std::vector<double>& values);
double spearman(const std::vector<double>& a, const std::vector<double>& b);
double kendallTauB(const std::vector<double>& a, const std::vector<double>& b);

struct TensorDelta {
    std::string name;
    double a = 0, b = 0;      // scores (normalised when asked)
    int rankA = 0, rankB = 0; // 1 = highest in its map (over the common tensors)
    double log2Ratio = 0;     // log2(b / a)
};

struct MapComparison {
    std::vector<TensorDelta> tensors; // common tensors, in A's order
    std::vector<std::string> onlyInA, onlyInB;
    double spearman = 0, kendall = 0;
    bool normalised = false;

    double topKOverlap(std::size_t k) const;
    // Largest |rankA - rankB| first (ties: larger |log2Ratio|), at most n.
    std::vector<TensorDelta> largestRankShifts(std::size_t n) const;
};

// Throws taskquant::Error when the maps have no tensor in common.
struct CompareOptions {
    bool normaliseToMax = false; // divide each map by its maximum before the log2 ratios
    bool linearOnly = false;     // only quantizable linear weights (taxonomy) take part
};
MapComparison compareMaps(const sensitivity::SensitivityMap& a,
                          const sensitivity::SensitivityMap& b, const CompareOptions& options = {});

struct SilentTensor {
    std::string name;
    int fisherRank = 0, magnitudeRank = 0; // 1 = highest, over the common tensors
    double fisherScore = 0, magnitudeScore = 0;
};
std::vector<SilentTensor> silentTensors(const sensitivity::SensitivityMap& fisher,
                                        const sensitivity::SensitivityMap& magnitude,
                                        double fisherTop = 0.10, double magnitudeBottom = 0.50,
                                        bool linearOnly = false);

struct Aggregate {
    std::string
        key; // "embeddings", "0", "1", ..., "final_norm", "lm_head", "other"; or a models::kindId
    int layer = -1; // per-layer rows: the layer, -1 for special places
    std::size_t count = 0;
    double sum = 0, mean = 0, max = 0;
    int64_t numel = 0; // 0 when unknown
};
// Rows in heatmap order (embeddings, layers ascending, final norm, lm_head, other).
std::vector<Aggregate> aggregateByLayer(const sensitivity::SensitivityMap& map);
// Rows in the map scheme's column order, then special kinds, then other.
std::vector<Aggregate> aggregateByKind(const sensitivity::SensitivityMap& map);

struct CurvePoint {
    std::string name;
    double score = 0;
    double normalised = 0; // score / max (0 when max is 0)
};
// Sorted descending (ties keep map order).
std::vector<CurvePoint> normalisedCurve(const sensitivity::SensitivityMap& map);

} // namespace taskquant::policy
