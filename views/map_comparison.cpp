#include "views/map_comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace taskquant::views {
namespace {

std::vector<double> averageRanks(const std::vector<double>& v) {
    const std::size_t n = v.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto i, auto j) { return v[i] < v[j]; });
    std::vector<double> r(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j + 1 < n && v[order[j + 1]] == v[order[i]])
            ++j;
        const double mean = (double(i) + double(j)) / 2 + 1;
        for (std::size_t k = i; k <= j; ++k)
            r[order[k]] = mean;
        i = j + 1;
    }
    return r;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = double(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0 || syy == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return sxy / std::sqrt(sxx * syy);
}

} // namespace

std::vector<int> descendingRanks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto i, auto j) { return values[i] > values[j]; });
    std::vector<int> ranks(values.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        ranks[order[k]] = int(k) + 1;
    return ranks;
}

double spearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size() || x.size() < 2)
        return std::numeric_limits<double>::quiet_NaN();
    return pearson(averageRanks(x), averageRanks(y));
}

double kendallTauB(const std::vector<double>& x, const std::vector<double>& y) {
    const std::size_t n = x.size();
    if (y.size() != n || n < 2)
        return std::numeric_limits<double>::quiet_NaN();
    double concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const double dx = x[i] - x[j], dy = y[i] - y[j];
            if (dx == 0 && dy == 0)
                continue;
            if (dx == 0)
                ++tiesX;
            else if (dy == 0)
                ++tiesY;
            else if ((dx > 0) == (dy > 0))
                ++concordant;
            else
                ++discordant;
        }
    const double denom = std::sqrt((concordant + discordant + tiesX) *
                                   (concordant + discordant + tiesY));
    if (denom == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return (concordant - discordant) / denom;
}

MapComparison compareMaps(const sensitivity::SensitivityMap& a,
                          const sensitivity::SensitivityMap& b) {
    MapComparison out;
    std::vector<double> sa, sb;
    for (const auto& e : a.entries()) {
        const auto* other = b.find(e.name);
        if (!other)
            continue;
        TensorComparison t;
        t.name = QString::fromStdString(e.name);
        t.a = e.score;
        t.b = other->score;
        t.log2Ratio = (t.a > 0 && t.b > 0) ? std::log2(t.b / t.a)
                                           : std::numeric_limits<double>::quiet_NaN();
        out.rows.push_back(t);
        sa.push_back(t.a);
        sb.push_back(t.b);
    }
    const auto ra = descendingRanks(sa), rb = descendingRanks(sb);
    for (std::size_t i = 0; i < out.rows.size(); ++i) {
        out.rows[i].rankA = ra[i];
        out.rows[i].rankB = rb[i];
    }
    out.spearman = spearmanCorrelation(sa, sb);
    out.kendall = kendallTauB(sa, sb);
    return out;
}

std::vector<std::size_t> silentTensors(const MapComparison& c, std::size_t count) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < c.rows.size(); ++i)
        if (c.rows[i].rankB > c.rows[i].rankA)
            idx.push_back(i);
    std::stable_sort(idx.begin(), idx.end(), [&](auto i, auto j) {
        return c.rows[i].rankB - c.rows[i].rankA > c.rows[j].rankB - c.rows[j].rankA;
    });
    if (idx.size() > count)
        idx.resize(count);
    return idx;
}

} // namespace taskquant::views
