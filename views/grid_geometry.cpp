#include "views/grid_geometry.h"

#include <algorithm>
#include <cmath>

namespace taskquant::views {

CellRange CellRange::between(CellPos a, CellPos b) {
    if (!a.valid() || !b.valid())
        return {};
    return {std::min(a.row, b.row), std::min(a.column, b.column), std::max(a.row, b.row),
            std::max(a.column, b.column)};
}

bool CellRange::contains(int row, int column) const {
    return !isEmpty() && row >= top && row <= bottom && column >= left && column <= right;
}

bool CellRange::intersects(int row, int column, int span) const {
    return !isEmpty() && span > 0 && row >= top && row <= bottom && column <= right &&
           column + span - 1 >= left;
}

GridGeometry::GridGeometry(int rows, int columns, QSizeF cellSize, QPointF origin)
    : rows_(std::max(0, rows)), columns_(std::max(0, columns)), cell_(cellSize), origin_(origin) {
    if (!(cell_.width() > 0))
        cell_.setWidth(1);
    if (!(cell_.height() > 0))
        cell_.setHeight(1);
}

QRectF GridGeometry::cellRect(int row, int column, int span) const {
    return QRectF(origin_.x() + column * cell_.width(), origin_.y() + row * cell_.height(),
                  cell_.width() * std::max(1, span), cell_.height());
}

CellPos GridGeometry::cellAt(QPointF p) const {
    const double c = std::floor((p.x() - origin_.x()) / cell_.width());
    const double r = std::floor((p.y() - origin_.y()) / cell_.height());
    if (!(c >= 0 && c < columns_ && r >= 0 && r < rows_))
        return {};
    return {int(r), int(c)};
}

CellPos GridGeometry::clampedCellAt(QPointF p) const {
    if (rows_ == 0 || columns_ == 0)
        return {};
    const double c = std::floor((p.x() - origin_.x()) / cell_.width());
    const double r = std::floor((p.y() - origin_.y()) / cell_.height());
    return {int(std::clamp(r, 0.0, double(rows_ - 1))),
            int(std::clamp(c, 0.0, double(columns_ - 1)))};
}

CellRange GridGeometry::cellsIn(const QRectF& pixels) const {
    const QRectF r = pixels.normalized();
    if (rows_ == 0 || columns_ == 0 || r.width() <= 0 || r.height() <= 0)
        return {};
    // Cells [first, last] overlapping with positive area: a right edge on a cell boundary
    // does not reach into the next cell.
    const double x0 = (r.left() - origin_.x()) / cell_.width();
    const double x1 = (r.right() - origin_.x()) / cell_.width();
    const double y0 = (r.top() - origin_.y()) / cell_.height();
    const double y1 = (r.bottom() - origin_.y()) / cell_.height();
    const int left = std::max(0, int(std::floor(x0)));
    const int right = std::min(columns_ - 1, int(std::ceil(x1)) - 1);
    const int top = std::max(0, int(std::floor(y0)));
    const int bottom = std::min(rows_ - 1, int(std::ceil(y1)) - 1);
    CellRange out{top, left, bottom, right};
    return out.isEmpty() ? CellRange{} : out;
}

GridGeometry GridGeometry::zoomedAbout(double factor, QPointF anchor, double minCell,
                                       double maxCell) const {
    if (!(factor > 0) || !std::isfinite(factor))
        factor = 1;
    const QSizeF next(std::clamp(cell_.width() * factor, minCell, maxCell),
                      std::clamp(cell_.height() * factor, minCell, maxCell));
    // Grid coordinates (in cells) of the anchor stay under the anchor.
    const double gx = (anchor.x() - origin_.x()) / cell_.width();
    const double gy = (anchor.y() - origin_.y()) / cell_.height();
    const QPointF origin(anchor.x() - gx * next.width(), anchor.y() - gy * next.height());
    return GridGeometry(rows_, columns_, next, origin);
}

} // namespace taskquant::views
