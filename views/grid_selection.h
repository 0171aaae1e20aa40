#pragma once
// Selection maths on a heatmap grid (core/policy/heatmap_grid.h), separate from painting:
// which grid cells a rectangle of positions covers, the tensors in them, and how a new hit set
// combines with the previous selection (click replaces, shift extends, ctrl toggles).
// Pure functions; thread-safe.
#include <cstddef>
#include <set>
#include <vector>

#include "core/policy/heatmap_grid.h"
#include "views/grid_geometry.h"

namespace taskquant::views {

enum class SelectionMode {
    Replace, // the hit set becomes the selection
    Extend,  // union with the previous selection
    Toggle   // symmetric difference with the previous selection
};

// Indices into grid.cells of every non-empty cell that meets the range (a spanning row counts
// when its row is in range), in grid order.
std::vector<std::size_t> cellsInRange(const policy::HeatmapGrid& grid, const CellRange& range);
// Tensor indices (into the grid's names) of those cells, ascending.
std::set<std::size_t> tensorsInRange(const policy::HeatmapGrid& grid, const CellRange& range);
std::set<std::size_t> combineSelection(const std::set<std::size_t>& previous,
                                       const std::set<std::size_t>& hit, SelectionMode mode);

// Percentile of a 1-based rank among n (rank 1 = 100, rank n = 100/n): the share of tensors
// whose score is at most this one's. 0 when rank or n is out of range.
double percentileOfRank(int rank, int n);

} // namespace taskquant::views
