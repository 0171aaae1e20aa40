#include "core/util/label_placement.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace taskquant {

namespace {

// Directions in order of preference: right, then alternately above/below, ending left.
std::vector<std::pair<double, double>> directions() {
    std::vector<std::pair<double, double>> d;
    const double pi = std::acos(-1.0);
    d.emplace_back(1.0, 0.0);
    for (int k = 1; k <= 7; ++k) {
        const double a = k * pi / 8;
        d.emplace_back(std::cos(a), -std::sin(a)); // above (y down)
        d.emplace_back(std::cos(a), std::sin(a));  // below
    }
    d.emplace_back(-1.0, 0.0);
    return d;
}

LabelRect boxAt(const LabelRequest& l, double dist, double cx, double cy) {
    LabelRect b;
    b.w = l.w;
    b.h = l.h;
    const double ox = l.anchorX + dist * cx, oy = l.anchorY + dist * cy;
    b.x = cx > 0.35 ? ox : cx < -0.35 ? ox - l.w : ox - l.w / 2;
    b.y = cy > 0.35 ? oy : cy < -0.35 ? oy - l.h : oy - l.h / 2;
    return b;
}

} // namespace

std::vector<LabelPlacement> placeLabels(const std::vector<LabelRequest>& labels,
                                        const LabelRect& bounds,
                                        const std::vector<std::pair<double, double>>& extra,
                                        const LabelPlacementOptions& o) {
    std::vector<LabelRect> markers;
    const double r = o.markerRadius;
    for (const auto& l : labels)
        markers.push_back({l.anchorX - r, l.anchorY - r, 2 * r, 2 * r});
    for (const auto& [x, y] : extra)
        markers.push_back({x - r, y - r, 2 * r, 2 * r});
    const auto dirs = directions();
    std::vector<LabelRect> placedBoxes;
    std::vector<LabelPlacement> out(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const LabelRequest& l = labels[i];
        bool done = false;
        for (int ring = 0; ring < o.maxRings && !done; ++ring) {
            const double dist = r + o.gap + ring * (l.h + o.gap);
            for (const auto& [cx, cy] : dirs) {
                const LabelRect b = boxAt(l, dist, cx, cy);
                if (!b.inside(bounds))
                    continue;
                bool free = true;
                for (const LabelRect& m : markers)
                    free = free && !b.overlaps(m);
                for (const LabelRect& p : placedBoxes)
                    free = free && !b.overlaps(p);
                if (!free)
                    continue;
                LabelPlacement& p = out[i];
                p.placed = true;
                p.box = b;
                p.leader = ring > 0;
                p.leaderX = std::clamp(l.anchorX, b.x, b.x + b.w);
                p.leaderY = std::clamp(l.anchorY, b.y, b.y + b.h);
                placedBoxes.push_back(b);
                done = true;
                break;
            }
        }
    }
    return out;
}

} // namespace taskquant
