#include "views/color_map.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace taskquant::views {
namespace {

struct Stop {
    double t;
    int r, g, b;
};

// matplotlib inferno at 9 evenly spaced positions.
constexpr std::array<Stop, 9> kInferno{{{0.000, 0, 0, 4},
                                        {0.125, 31, 12, 72},
                                        {0.250, 85, 15, 109},
                                        {0.375, 136, 34, 106},
                                        {0.500, 186, 54, 85},
                                        {0.625, 227, 89, 51},
                                        {0.750, 249, 140, 10},
                                        {0.875, 249, 201, 50},
                                        {1.000, 252, 255, 164}}};

// ColorBrewer RdBu, reversed: blue for negative, white at the centre, red for positive.
constexpr std::array<Stop, 7> kDiverging{{{0.000, 33, 102, 172},
                                          {0.167, 103, 169, 207},
                                          {0.333, 209, 229, 240},
                                          {0.500, 247, 247, 247},
                                          {0.667, 253, 219, 199},
                                          {0.833, 239, 138, 98},
                                          {1.000, 178, 24, 43}}};

template <std::size_t N> QColor sample(const std::array<Stop, N>& stops, double t) {
    if (!std::isfinite(t))
        t = 0;
    t = std::clamp(t, 0.0, 1.0);
    std::size_t i = 1;
    while (i + 1 < N && stops[i].t < t)
        ++i;
    const Stop& a = stops[i - 1];
    const Stop& b = stops[i];
    const double u = (t - a.t) / (b.t - a.t);
    auto mix = [u](int x, int y) { return int(std::lround(x + (y - x) * u)); };
    return QColor(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
}

} // namespace

QColor sampleColorMap(ColorMapKind kind, double t) {
    return kind == ColorMapKind::Sequential ? sample(kInferno, t) : sample(kDiverging, t);
}

QColor contrastingTextColor(const QColor& c) {
    // Relative luminance (sRGB weights), threshold at mid grey.
    const double y = 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
    return y > 0.5 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace taskquant::views
