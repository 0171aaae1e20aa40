#include "core/demo/rank_correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/util/error.h"

namespace taskquant::demo {

std::vector<double> averageRanks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });
    std::vector<double> ranks(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
        const double r = 0.5 * double(i + j) + 1.0; // mean of 1-based positions i+1 .. j+1
        for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = r;
        i = j + 1;
    }
    return ranks;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) throw Error("spearman: the two vectors differ in length");
    const std::size_t n = a.size();
    if (n < 2) return std::numeric_limits<double>::quiet_NaN();
    const auto ra = averageRanks(a), rb = averageRanks(b);
    const double mean = 0.5 * double(n + 1);
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    if (saa == 0 || sbb == 0) return std::numeric_limits<double>::quiet_NaN();
    return sab / std::sqrt(saa * sbb);
}

MapCorrelation spearman(const sensitivity::SensitivityMap& a, const sensitivity::SensitivityMap& b) {
    std::vector<double> xa, xb;
    for (const auto& e : a.entries())
        if (const auto* f = b.find(e.name)) {
            xa.push_back(e.score);
            xb.push_back(f->score);
        }
    return {spearman(xa, xb), xa.size()};
}

} // namespace taskquant::demo
