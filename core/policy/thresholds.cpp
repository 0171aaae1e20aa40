#include "core/policy/thresholds.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "core/util/error.h"

namespace taskquant::policy {

namespace {

void checkScores(const std::vector<double>& scores, const char* method) {
    if (scores.empty())
        throw Error(std::string(method) + ": no scores to threshold");
    for (double s : scores)
        if (!std::isfinite(s) || s < 0)
            throw Error(std::string(method) + ": scores must be finite and non-negative");
}

std::vector<double> sortedDescending(std::vector<double> v) {
    std::sort(v.begin(), v.end(), std::greater<double>());
    return v;
}

// numpy's _lerp: a + (b - a) * t, computed from the nearer end for t >= 0.5.
double lerp(double a, double b, double t) {
    const double d = b - a;
    return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

} // namespace

double quantileLinear(std::vector<double> values, double q) {
    if (values.empty())
        throw Error("quantile of an empty list");
    if (!(q >= 0.0 && q <= 1.0))
        throw Error("quantile must be within 0..1");
    std::sort(values.begin(), values.end());
    const double n = static_cast<double>(values.size());
    // numpy's virtual index for alpha = beta = 1: n*q + (1 + q*(1 - 1 - 1)) - 1.
    const double virt = n * q + (1.0 + q * (1.0 - 1.0 - 1.0)) - 1.0;
    const double lo = std::floor(virt);
    const double gamma = virt - lo;
    const long last = static_cast<long>(values.size()) - 1;
    const long i = std::clamp(static_cast<long>(lo), 0L, last);
    const long j = std::clamp(static_cast<long>(lo) + 1, 0L, last);
    return lerp(values[static_cast<std::size_t>(i)], values[static_cast<std::size_t>(j)], gamma);
}

double thresholdPercentile(const std::vector<double>& scores, double keepFraction) {
    checkScores(scores, "percentile");
    if (!(keepFraction >= 0.0 && keepFraction <= 1.0))
        throw Error("percentile: the fraction to keep must be within 0..1");
    return quantileLinear(scores, 1.0 - keepFraction);
}

double thresholdOtsu(const std::vector<double>& scores, int bins) {
    checkScores(scores, "otsu");
    if (bins < 2)
        throw Error("otsu: at least 2 bins are needed");
    if (std::all_of(scores.begin(), scores.end(), [&](double s) { return s == scores[0]; }))
        return scores[0];
    const double lo = *std::min_element(scores.begin(), scores.end());
    const double hi = *std::max_element(scores.begin(), scores.end());
    const std::size_t nb = static_cast<std::size_t>(bins);
    // numpy.histogram(scores, bins, range=(lo, hi)): edges = linspace(lo, hi, bins + 1).
    std::vector<double> edges(nb + 1);
    const double step = (hi - lo) / static_cast<double>(nb);
    for (std::size_t i = 0; i < nb; ++i)
        edges[i] = static_cast<double>(i) * step + lo;
    edges[nb] = hi;
    std::vector<double> counts(nb, 0.0);
    for (double x : scores) {
        long idx = static_cast<long>((x - lo) / (hi - lo) * static_cast<double>(nb));
        if (idx == static_cast<long>(nb))
            --idx;
        if (x < edges[static_cast<std::size_t>(idx)])
            --idx;
        if (idx != static_cast<long>(nb) - 1 && x >= edges[static_cast<std::size_t>(idx) + 1])
            ++idx;
        counts[static_cast<std::size_t>(idx)] += 1.0;
    }
    std::vector<double> centers(nb);
    for (std::size_t i = 0; i < nb; ++i)
        centers[i] = (edges[i] + edges[i + 1]) / 2.0;
    // skimage: weight1/mean1 from the left, weight2/mean2 from the right.
    std::vector<double> w1(nb), m1(nb), w2(nb), m2(nb);
    double cw = 0, cs = 0;
    for (std::size_t i = 0; i < nb; ++i) {
        cw += counts[i];
        cs += counts[i] * centers[i];
        w1[i] = cw;
        m1[i] = cs / cw;
    }
    cw = cs = 0;
    for (std::size_t k = nb; k-- > 0;) {
        cw += counts[k];
        cs += counts[k] * centers[k];
        w2[k] = cw;
        m2[k] = cs / cw;
    }
    std::size_t best = 0;
    double bestVar = -1;
    for (std::size_t i = 0; i + 1 < nb; ++i) {
        const double d = m1[i] - m2[i + 1];
        const double v = w1[i] * w2[i + 1] * d * d;
        if (v > bestVar) {
            bestVar = v;
            best = i;
        }
    }
    return centers[best];
}

std::optional<std::size_t> kneedleConvexDecreasing(const std::vector<double>& x,
                                                   const std::vector<double>& y,
                                                   double sensitivity) {
    const std::size_t n = x.size();
    if (n != y.size())
        throw Error("kneedle: x and y differ in length");
    if (n < 2)
        return std::nullopt;
    const auto [xmin, xmax] = std::minmax_element(x.begin(), x.end());
    const auto [ymin, ymax] = std::minmax_element(y.begin(), y.end());
    if (!(*xmax > *xmin) || !(*ymax > *ymin))
        return std::nullopt; // normalising divides by 0
    std::vector<double> xn(n), yd(n);
    for (std::size_t i = 0; i < n; ++i) {
        xn[i] = (x[i] - *xmin) / (*xmax - *xmin);
        const double yn = (y[i] - *ymin) / (*ymax - *ymin);
        // transform_y for convex/decreasing: y.max() - y, where the normalised max is 1.
        yd[i] = (1.0 - yn) - xn[i];
    }
    // scipy.signal.argrelextrema(order=1, mode="clip"): the ends compare with themselves.
    auto at = [&](long i) {
        return yd[static_cast<std::size_t>(std::clamp(i, 0L, static_cast<long>(n) - 1))];
    };
    std::vector<bool> isMax(n), isMin(n);
    std::vector<std::size_t> maxima;
    for (std::size_t i = 0; i < n; ++i) {
        const long li = static_cast<long>(i);
        isMax[i] = yd[i] >= at(li + 1) && yd[i] >= at(li - 1);
        isMin[i] = yd[i] <= at(li + 1) && yd[i] <= at(li - 1);
        if (isMax[i])
            maxima.push_back(i);
    }
    if (maxima.empty())
        return std::nullopt;
    // Tmx = y_difference_maxima - S * |mean(diff(x_normalized))|.
    double meanStep = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        meanStep += xn[i + 1] - xn[i];
    meanStep = std::fabs(meanStep / static_cast<double>(n - 1));
    std::size_t maxIdx = 0, thresholdIndex = 0;
    double threshold = 0;
    for (std::size_t i = maxima.front(); i < n; ++i) {
        if (xn[i] == 1.0)
            break;
        if (isMax[i]) {
            threshold = yd[maxima[maxIdx]] - sensitivity * meanStep;
            thresholdIndex = i;
            ++maxIdx;
        }
        if (isMin[i])
            threshold = 0.0;
        if (yd[i + 1] < threshold)
            return thresholdIndex;
    }
    return std::nullopt;
}

ElbowResult thresholdElbow(const std::vector<double>& scores) {
    checkScores(scores, "elbow");
    const std::vector<double> s = sortedDescending(scores);
    std::vector<double> x(s.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<double>(i);
    ElbowResult r;
    r.knee = kneedleConvexDecreasing(x, s);
    r.threshold = r.knee ? s[*r.knee] : quantileLinear(s, 0.20);
    return r;
}

double thresholdGradient(const std::vector<double>& scores, double ratio) {
    checkScores(scores, "gradient");
    const std::vector<double> s = sortedDescending(scores);
    if (s.size() < 2)
        return s[0];
    std::vector<double> g(s.size() - 1);
    for (std::size_t i = 0; i + 1 < s.size(); ++i)
        g[i] = std::fabs(std::log10(s[i + 1] + 1e-10) - std::log10(s[i] + 1e-10));
    const double gmax = *std::max_element(g.begin(), g.end());
    if (!(gmax > 0))
        return s[0];
    for (std::size_t i = 0; i < g.size(); ++i)
        if (g[i] / gmax < ratio)
            return s[i];
    return s[0];
}

double thresholdCumulative(const std::vector<double>& scores, double share) {
    checkScores(scores, "cumulative");
    const std::vector<double> s = sortedDescending(scores);
    double total = 0;
    for (double v : s)
        total += v;
    if (!(total > 0))
        return s[0];
    double c = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        c += s[i];
        if (c / total >= share)
            return s[i];
    }
    return s[0];
}

} // namespace taskquant::policy
