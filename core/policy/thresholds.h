#pragma once
// Score thresholds of the TaskQuant study, with its exact definitions (its Python code used
// numpy, scikit-image and kneed; each function below states what it reproduces). A tensor is
// kept (protected, high precision) when its score >= the threshold (<= when inverted, see
// selection.h). Scores must be finite and >= 0; an empty list throws taskquant::Error.
// Pure functions; thread-safe.
#include <cstddef>
#include <optional>
#include <vector>

namespace taskquant::policy {

// numpy.quantile(values, q) with the default "linear" method; q in [0, 1].
double quantileLinear(std::vector<double> values, double q);

// Percentile ("pct"): keep the top `keepFraction` -> numpy.quantile(scores, 1 - keepFraction).
double thresholdPercentile(const std::vector<double>& scores, double keepFraction);

// Otsu: skimage.filters.threshold_otsu(scores) with 256 bins over [min, max]: the bin centre
// maximising the between-class variance (first maximum). All scores equal -> that score.
double thresholdOtsu(const std::vector<double>& scores, int bins = 256);

// Kneedle (kneed.KneeLocator(x, y, curve="convex", direction="decreasing", S=sensitivity),
// offline, interp1d): the index of the first knee of y over x, or nullopt when none is found
// (fewer than 2 points, a flat curve, no local maximum of the difference curve, ...).
// x must be strictly increasing and y the same length.
std::optional<std::size_t> kneedleConvexDecreasing(const std::vector<double>& x,
                                                   const std::vector<double>& y,
                                                   double sensitivity = 1.0);

struct ElbowResult {
    double threshold = 0;
    std::optional<std::size_t> knee; // index in the descending curve; nullopt = fallback used
};
// Elbow ("elb"): Kneedle on the scores sorted descending against 0..n-1; the threshold is the
// score at the knee. Without a knee: numpy.quantile(scores, 0.20).
ElbowResult thresholdElbow(const std::vector<double>& scores);

// Gradient: s = scores sorted descending, g = |diff(log10(s + 1e-10))|, g /= max(g); the
// threshold is s[i] for the first i with g[i] < ratio, or s[0] when there is none (numpy's
// argmax of an all-false mask; also when max(g) is 0 or n == 1).
double thresholdGradient(const std::vector<double>& scores, double ratio);

// Cumulative budget: s sorted descending, c = cumsum(s) / sum(s); the threshold is s[i] for
// the first i with c[i] >= share (s[0] when the sum is 0).
double thresholdCumulative(const std::vector<double>& scores, double share);

} // namespace taskquant::policy
