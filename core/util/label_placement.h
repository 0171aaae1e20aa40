#pragma once
// Label placement for plots (the frontier's SVG, core/eval/frontier_plot.h, and the studio's
// Frontier tab): every label is put near its point without overlapping another label, any
// point's marker or the plot's edge.
//  * Greedy, in the order given (earlier labels win the better places): candidate boxes on rings
//    around the anchor, nearest ring first; on each ring 16 directions, right of the point
//    first, then above-right, below-right, above, below, ..., left. The first box that lies
//    inside `bounds` and overlaps no placed label box and no marker square (side 2 x
//    markerRadius, centred on every anchor) is taken.
//  * A box beyond the first ring gets a leader line (from the anchor to the nearest point of
//    the box), so a label moved away still points at its point.
//  * A label with no free place within maxRings is not placed (placed = false); the caller
//    names it elsewhere (a table, a tooltip, a legend).
// Boxes touching at an edge do not overlap. Pixel coordinates, y down. Pure; thread-safe.
#include <vector>

namespace taskquant {

struct LabelRect {
    double x = 0, y = 0, w = 0, h = 0; // top-left corner and size
    bool overlaps(const LabelRect& o) const {
        return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
    bool inside(const LabelRect& o) const {
        return x >= o.x && y >= o.y && x + w <= o.x + o.w && y + h <= o.y + o.h;
    }
};

struct LabelRequest {
    double anchorX = 0, anchorY = 0; // the point the label names
    double w = 0, h = 0;             // the label's size
};

struct LabelPlacement {
    bool placed = false;
    LabelRect box;
    bool leader = false;             // draw a line from the anchor to (leaderX, leaderY)
    double leaderX = 0, leaderY = 0; // the box's point nearest to the anchor
};

struct LabelPlacementOptions {
    double markerRadius = 4; // half the side of the square kept free around every anchor
    double gap = 2;          // between a marker and the first ring
    int maxRings = 14;       // rings, each one label height (plus gap) farther out
};

// `extraAnchors`: further markers to keep free (points without a label).
std::vector<LabelPlacement>
placeLabels(const std::vector<LabelRequest>& labels, const LabelRect& bounds,
            const std::vector<std::pair<double, double>>& extraAnchors = {},
            const LabelPlacementOptions& options = {});

} // namespace taskquant
