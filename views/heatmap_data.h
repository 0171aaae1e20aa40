#pragma once
// HeatmapData: what a heatmap draws, built once per map (or pair of maps) off the paint path:
// the layer-by-module grid (core/policy/heatmap_grid.h), one colour value per tensor, the
// colour scale, and what the tooltip shows (rank, parameter count). Immutable value; cheap
// to copy (shares the vectors); thread-safe to read, so it may be built on a worker thread.
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

#include "core/policy/heatmap_grid.h"
#include "core/sensitivity/sensitivity_map.h"
#include "views/color_scale.h"
#include "views/map_comparison.h"

namespace taskquant::views {

struct HeatmapData {
    struct Tensors {
        QStringList names;
        std::vector<double> values; // the coloured quantity (score, or log2 ratio)
        std::vector<double> scores; // the map's score (for a diff: map A's)
        std::vector<int> ranks;     // 1 = highest score
        std::vector<int64_t> numels;
        policy::HeatmapGrid grid;
    };
    std::shared_ptr<const Tensors> tensors = std::make_shared<const Tensors>();
    ColorScale scale;
    QString title;      // e.g. "fisher_gsm8k_mean"
    QString valueLabel; // "score", "log2(math / gsm8k)"

    int size() const { return int(tensors->names.size()); }
    bool isEmpty() const { return tensors->names.isEmpty(); }
    // -1 if absent.
    int indexOf(const QString& name) const;

    // Scores on a log scale, optionally normalised to the map's maximum.
    static HeatmapData fromMap(const sensitivity::SensitivityMap& map, bool normaliseToMax);
    // log2(B / A) per tensor both maps have, on a diverging scale.
    static HeatmapData fromComparison(const MapComparison& c, const QString& labelA,
                                      const QString& labelB);
    // Same tensors, another scale normalisation (no grid rebuild).
    HeatmapData withNormaliseToMax(bool on) const;
};

// Display label of a grid row: "Embeddings", "Layer 12", "Final norm", "lm_head", "Other".
QString rowLabel(const policy::GridRow& row);

} // namespace taskquant::views
