#pragma once
// The plain maths of the frontier and validation plots, without Qt so it is tested data-driven
// (tests/views/tst_frontier_math.cpp):
//  * LogAxis: a base-10 axis over whole decades; toFraction() maps a value to 0 (bottom, lo)
//    .. 1 (top, hi) linearly in log10; values <= 0 (no place on a log axis) map to 0, i.e. they
//    are drawn on the bottom edge, as the CLI's SVG draws them (core/eval/frontier_plot.h).
//    fit() picks [10^floor(log10 min), 10^ceil(log10 max)] over the positive values (one
//    decade at least; 1e-4 .. 1 when there is none).
//  * hitTest(): the point nearest to a cursor position within a radius (pixels), or -1; ties
//    go to the earlier point, so a point drawn later on top does not steal the hit.
//  * familyOf(): the line a frontier point belongs to ("uniform types", "<signal>-optimal",
//    "error-only") or "llama.cpp mixes" (drawn as labelled points, no line); linesOf() groups
//    point indices by family in first-seen order, each sorted by bits per weight.
//  * keepLabels(): greedy label placement: box i is kept when it overlaps no kept box before it
//    (boxes touching at an edge do not overlap), so labels given first win.
// The scale fit of predictions onto measured KL is the engine's (core/policy/damage_model.h
// fitScale); nothing here computes damage, sizes or fits.
// Pure functions and value types; thread-safe.
#include <string>
#include <utility>
#include <vector>

namespace taskquant::views {

struct LogAxis {
    double lo = 1e-4, hi = 1; // 0 < lo < hi

    static LogAxis fit(const std::vector<double>& values);
    double toFraction(double v) const;
    double fromFraction(double f) const;
    // Pixel coordinate on a vertical axis of the given pixel span: top (hi) .. bottom (lo).
    double toPixel(double v, double top, double bottom) const {
        return bottom + (top - bottom) * toFraction(v);
    }
};

struct PixelPoint {
    double x = 0, y = 0;
};

int hitTest(const std::vector<PixelPoint>& points, double x, double y, double radius);

// kind: "uniform" | "recipe" | "optimal" | "current"; signal: "none" or a map method.
std::string familyOf(const std::string& kind, const std::string& signal);
bool isLineFamily(const std::string& family);

struct FamilyLine {
    std::string family;
    std::vector<int> indices; // into the input, sorted by bits per weight (stable)
};
std::vector<FamilyLine> linesOf(const std::vector<std::string>& families,
                                const std::vector<double>& bitsPerWeight);

struct LabelBox {
    double x = 0, y = 0, w = 0, h = 0;
};
std::vector<bool> keepLabels(const std::vector<LabelBox>& boxes);

} // namespace taskquant::views
