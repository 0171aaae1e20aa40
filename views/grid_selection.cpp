#include "views/grid_selection.h"

#include <algorithm>

namespace taskquant::views {

std::vector<std::size_t> cellsInRange(const policy::HeatmapGrid& grid, const CellRange& range) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < grid.cells.size(); ++i) {
        const auto& c = grid.cells[i];
        if (range.intersects(c.row, c.column, c.columnSpan))
            out.push_back(i);
    }
    return out;
}

std::set<std::size_t> tensorsInRange(const policy::HeatmapGrid& grid, const CellRange& range) {
    std::set<std::size_t> out;
    for (std::size_t c : cellsInRange(grid, range))
        out.insert(grid.cells[c].tensors.begin(), grid.cells[c].tensors.end());
    return out;
}

std::set<std::size_t> combineSelection(const std::set<std::size_t>& previous,
                                       const std::set<std::size_t>& hit, SelectionMode mode) {
    switch (mode) {
    case SelectionMode::Replace:
        return hit;
    case SelectionMode::Extend: {
        std::set<std::size_t> out = previous;
        out.insert(hit.begin(), hit.end());
        return out;
    }
    case SelectionMode::Toggle: {
        std::set<std::size_t> out;
        std::set_symmetric_difference(previous.begin(), previous.end(), hit.begin(), hit.end(),
                                      std::inserter(out, out.end()));
        return out;
    }
    }
    return hit;
}

double percentileOfRank(int rank, int n) {
    if (n <= 0 || rank < 1 || rank > n)
        return 0;
    return 100.0 * double(n - rank + 1) / double(n);
}

} // namespace taskquant::views
