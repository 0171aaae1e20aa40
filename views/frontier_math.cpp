#include "views/frontier_math.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace taskquant::views {

LogAxis LogAxis::fit(const std::vector<double>& values) {
    double mn = 0, mx = 0;
    bool any = false;
    for (double v : values) {
        if (!(v > 0) || !std::isfinite(v))
            continue;
        mn = any ? std::min(mn, v) : v;
        mx = any ? std::max(mx, v) : v;
        any = true;
    }
    if (!any)
        return {};
    double l0 = std::floor(std::log10(mn)), l1 = std::ceil(std::log10(mx));
    if (l1 <= l0)
        l1 = l0 + 1;
    return {std::pow(10.0, l0), std::pow(10.0, l1)};
}

double LogAxis::toFraction(double v) const {
    if (!(v > 0))
        return 0;
    return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
}

double LogAxis::fromFraction(double f) const {
    return std::pow(10.0, std::log10(lo) + f * (std::log10(hi) - std::log10(lo)));
}

int hitTest(const std::vector<PixelPoint>& points, double x, double y, double radius) {
    int best = -1;
    double bestD = radius * radius;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double dx = points[i].x - x, dy = points[i].y - y;
        const double d = dx * dx + dy * dy;
        if (d < bestD || (best < 0 && d <= bestD)) {
            best = int(i);
            bestD = d;
        }
    }
    return best;
}

std::string familyOf(const std::string& kind, const std::string& signal) {
    if (kind == "uniform")
        return "uniform types";
    if (kind == "recipe")
        return "llama.cpp mixes";
    if (kind == "optimal") {
        if (signal.empty() || signal == "none")
            return "error-only";
        if (signal == "fisher")
            return "Fisher-optimal";
        if (signal.rfind("magnitude", 0) == 0)
            return "magnitude-optimal";
        return signal + "-optimal";
    }
    return kind;
}

bool isLineFamily(const std::string& family) {
    return family != "llama.cpp mixes" && family != "current";
}

std::vector<FamilyLine> linesOf(const std::vector<std::string>& families,
                                const std::vector<double>& bitsPerWeight) {
    std::vector<FamilyLine> out;
    for (std::size_t i = 0; i < families.size(); ++i) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const FamilyLine& l) { return l.family == families[i]; });
        if (it == out.end()) {
            out.push_back({families[i], {}});
            it = out.end() - 1;
        }
        it->indices.push_back(int(i));
    }
    for (auto& l : out)
        std::stable_sort(l.indices.begin(), l.indices.end(), [&](int a, int b) {
            return bitsPerWeight[std::size_t(a)] < bitsPerWeight[std::size_t(b)];
        });
    return out;
}

std::vector<bool> keepLabels(const std::vector<LabelBox>& boxes) {
    std::vector<bool> keep(boxes.size(), false);
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const LabelBox& a = boxes[i];
        bool free = true;
        for (std::size_t j = 0; j < i && free; ++j) {
            if (!keep[j])
                continue;
            const LabelBox& b = boxes[j];
            free = !(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h);
        }
        keep[i] = free;
    }
    return keep;
}

} // namespace taskquant::views
