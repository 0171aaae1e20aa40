#pragma once
// GridGeometry: cell <-> pixel mapping of a rows x columns grid of equal cells whose top-left
// corner (cell 0,0) sits at `origin` (widget pixels; moves with scrolling), plus zooming about a
// fixed point. CellRange: the normalised rectangle of cells between two corners (a drag).
// Pixels are logical (device-independent) pixels. Plain value types; thread-safe.
#include <QPointF>
#include <QRectF>
#include <QSizeF>

namespace taskquant::views {

struct CellPos {
    int row = -1;
    int column = -1;
    bool valid() const { return row >= 0 && column >= 0; }
    bool operator==(const CellPos& o) const { return row == o.row && column == o.column; }
    bool operator!=(const CellPos& o) const { return !(*this == o); }
};

struct CellRange {
    int top = 0, left = 0, bottom = -1, right = -1; // inclusive; empty when bottom < top
    // The rectangle with corners a and b in any order; empty if either is invalid.
    static CellRange between(CellPos a, CellPos b);
    bool isEmpty() const { return bottom < top || right < left; }
    bool contains(int row, int column) const;
    // Whether row `row`, columns [column, column + span), meets the range.
    bool intersects(int row, int column, int span) const;
    int cellCount() const { return isEmpty() ? 0 : (bottom - top + 1) * (right - left + 1); }
    bool operator==(const CellRange& o) const {
        return (isEmpty() && o.isEmpty()) ||
               (top == o.top && left == o.left && bottom == o.bottom && right == o.right);
    }
};

class GridGeometry {
  public:
    GridGeometry() = default;
    GridGeometry(int rows, int columns, QSizeF cellSize, QPointF origin);

    int rows() const { return rows_; }
    int columns() const { return columns_; }
    QSizeF cellSize() const { return cell_; }
    QPointF origin() const { return origin_; }
    QSizeF contentSize() const { return {cell_.width() * columns_, cell_.height() * rows_}; }

    // Pixel rectangle of the cell at (row, column) covering `span` columns.
    QRectF cellRect(int row, int column, int span = 1) const;
    // Cell under a pixel; invalid outside the grid (edges: left/top edge belongs to the cell).
    CellPos cellAt(QPointF pixel) const;
    // Like cellAt, but clamped into the grid (for drags that leave it); invalid if empty grid.
    CellPos clampedCellAt(QPointF pixel) const;
    // Every cell a pixel rectangle touches (any overlap of positive area), clipped to the grid.
    CellRange cellsIn(const QRectF& pixels) const;

    // The same grid with cells scaled by `factor` (each side clamped to [minCell, maxCell])
    // and the origin moved so the grid point under `anchor` stays under it.
    GridGeometry zoomedAbout(double factor, QPointF anchor, double minCell, double maxCell) const;

  private:
    int rows_ = 0, columns_ = 0;
    QSizeF cell_{1, 1};
    QPointF origin_{0, 0};
};

} // namespace taskquant::views
