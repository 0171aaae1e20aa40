#pragma once
// The layer-by-module grid of a sensitivity map, as the heatmap draws it.
// Rows, top to bottom: embeddings, layer 0 .. layer L-1 (every index up to the largest seen,
// even if a layer has no tensor), final norm, lm_head, other (each special row only when some
// name lands there). Columns: the kinds found inside layers, in the scheme's canonical order
// (attention, MLP, norms), then "other" if some in-layer tensor is unknown.
// Special rows (embeddings, final norm, lm_head, other) are one cell spanning all columns.
// Every input name is in exactly one cell; a cell lists its tensors with weights before
// biases (so tensors.front() is the one to colour by). Value type; thread-safe to read.
#include <cstddef>
#include <string>
#include <vector>

#include "core/models/taxonomy.h"

namespace taskquant::policy {

struct GridRow {
    models::Place place = models::Place::Other;
    int layer = -1;        // for models::Place::Layer
    std::string label;     // "embeddings", "layer 12", "final norm", "lm_head", "other"
    bool spanning = false; // one cell over all columns (every row except layers)
};

struct GridCell {
    int row = 0;
    int column = 0;                   // 0 for spanning rows
    int columnSpan = 1;               // number of columns covered (>= 1)
    std::vector<std::size_t> tensors; // indices into the names given; weights first
};

struct HeatmapGrid {
    models::Scheme scheme = models::Scheme::Unknown;
    std::vector<GridRow> rows;
    std::vector<models::Kind> columns;
    std::vector<std::string> columnLabels;    // models::kindLabel(column, scheme)
    std::vector<GridCell> cells;              // only non-empty cells, row-major order
    std::vector<std::size_t> cellOfTensor;    // per input name: index into cells
    std::vector<models::TensorClass> classes; // per input name

    int layerCount() const;          // number of layer rows
    int rowOfLayer(int layer) const; // -1 if out of range
    // The cell covering (row, column), or nullptr when that position is empty.
    const GridCell* cellAt(int row, int column) const;
};

// `scheme` Unknown means: detect from the names.
HeatmapGrid buildHeatmapGrid(const std::vector<std::string>& names,
                             models::Scheme scheme = models::Scheme::Unknown);

} // namespace taskquant::policy
