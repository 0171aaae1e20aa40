#include "core/policy/heatmap_grid.h"

#include <algorithm>
#include <map>

namespace taskquant::policy {

namespace {
// Order of tensors inside a spanning cell: by kind, weights before biases, then input order.
int specialKindOrder(models::Kind k) {
    switch (k) {
    case models::Kind::Embed:
        return 0;
    case models::Kind::PosEmbed:
        return 1;
    case models::Kind::FinalNorm:
        return 2;
    case models::Kind::LmHead:
        return 3;
    default:
        return 4;
    }
}
} // namespace

int HeatmapGrid::layerCount() const {
    return static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const GridRow& r) {
        return r.place == models::Place::Layer;
    }));
}

int HeatmapGrid::rowOfLayer(int layer) const {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].place == models::Place::Layer && rows[i].layer == layer)
            return static_cast<int>(i);
    return -1;
}

const GridCell* HeatmapGrid::cellAt(int row, int column) const {
    // Cells are sorted by (row, column); spanning cells cover [column, column + span).
    auto it = std::lower_bound(cells.begin(), cells.end(), row,
                               [](const GridCell& c, int r) { return c.row < r; });
    for (; it != cells.end() && it->row == row; ++it)
        if (column >= it->column && column < it->column + it->columnSpan)
            return &*it;
    return nullptr;
}

HeatmapGrid buildHeatmapGrid(const std::vector<std::string>& names, models::Scheme scheme) {
    HeatmapGrid g;
    g.scheme = scheme == models::Scheme::Unknown ? models::detectScheme(names) : scheme;
    g.classes.reserve(names.size());
    int maxLayer = -1;
    bool has[5] = {false, false, false, false, false}; // by models::Place
    std::vector<bool> kindInLayers(static_cast<std::size_t>(models::Kind::Other) + 1, false);
    for (const auto& n : names) {
        models::TensorClass c = models::classify(n);
        g.classes.push_back(c);
        has[static_cast<int>(c.place)] = true;
        if (c.place == models::Place::Layer) {
            maxLayer = std::max(maxLayer, c.layer);
            kindInLayers[static_cast<std::size_t>(c.kind)] = true;
        }
    }

    // Columns: the scheme's order first, then kinds it does not expect, then Other.
    for (models::Kind k : models::layerColumnOrder(g.scheme))
        if (kindInLayers[static_cast<std::size_t>(k)])
            g.columns.push_back(k);
    for (models::Kind k : models::layerColumnOrder(models::Scheme::Unknown))
        if (kindInLayers[static_cast<std::size_t>(k)] &&
            std::find(g.columns.begin(), g.columns.end(), k) == g.columns.end())
            g.columns.push_back(k);
    if (kindInLayers[static_cast<std::size_t>(models::Kind::Other)])
        g.columns.push_back(models::Kind::Other);
    for (models::Kind k : g.columns)
        g.columnLabels.push_back(models::kindLabel(k, g.scheme));
    const int span = std::max<int>(1, static_cast<int>(g.columns.size()));

    // Rows.
    std::map<int, int> rowOfPlace; // special places
    auto addSpecial = [&](models::Place p, const char* label) {
        if (!has[static_cast<int>(p)])
            return;
        rowOfPlace[static_cast<int>(p)] = static_cast<int>(g.rows.size());
        g.rows.push_back({p, -1, label, true});
    };
    addSpecial(models::Place::Embeddings, "embeddings");
    const int firstLayerRow = static_cast<int>(g.rows.size());
    for (int l = 0; l <= maxLayer; ++l)
        g.rows.push_back({models::Place::Layer, l, "layer " + std::to_string(l), false});
    addSpecial(models::Place::FinalNorm, "final norm");
    addSpecial(models::Place::LmHead, "lm_head");
    addSpecial(models::Place::Other, "other");

    // Place every tensor: key (row, column) -> tensors.
    std::map<std::pair<int, int>, std::vector<std::size_t>> buckets;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const models::TensorClass& c = g.classes[i];
        int row, col = 0;
        if (c.place == models::Place::Layer) {
            row = firstLayerRow + c.layer;
            col = static_cast<int>(std::find(g.columns.begin(), g.columns.end(), c.kind) -
                                   g.columns.begin());
        } else {
            row = rowOfPlace[static_cast<int>(c.place)];
        }
        buckets[{row, col}].push_back(i);
    }
    for (auto& [pos, tensors] : buckets) {
        std::stable_sort(tensors.begin(), tensors.end(), [&](std::size_t a, std::size_t b) {
            const models::TensorClass &ca = g.classes[a], &cb = g.classes[b];
            if (ca.isBias != cb.isBias)
                return !ca.isBias;
            return specialKindOrder(ca.kind) < specialKindOrder(cb.kind);
        });
        GridCell cell;
        cell.row = pos.first;
        cell.column = pos.second;
        cell.columnSpan = g.rows[static_cast<std::size_t>(pos.first)].spanning ? span : 1;
        cell.tensors = tensors;
        g.cells.push_back(std::move(cell));
    }
    g.cellOfTensor.assign(names.size(), 0);
    for (std::size_t ci = 0; ci < g.cells.size(); ++ci)
        for (std::size_t t : g.cells[ci].tensors)
            g.cellOfTensor[t] = ci;
    return g;
}

} // namespace taskquant::policy
