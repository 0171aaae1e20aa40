#include "core/sensitivity/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/util/error.h"

namespace taskquant::sensitivity {

namespace {

uint64_t splitmix(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double interpolated(std::vector<double>& v, double fraction) {
    std::sort(v.begin(), v.end());
    const double pos = fraction * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Indices of the k largest values, ties towards the lower index.
std::vector<std::size_t> topIndices(const std::vector<double>& v, std::size_t k) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    k = std::min(k, v.size());
    std::partial_sort(
        order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
        [&](std::size_t a, std::size_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
    order.resize(k);
    return order;
}

} // namespace

BootstrapResult bootstrapMeans(const std::vector<std::vector<double>>& c, const BootstrapOptions& o,
                               const JobControl& job) {
    if (o.resamples < 1)
        throw Error("bootstrap: at least one resample is needed");
    if (!(o.level > 0 && o.level < 1))
        throw Error("bootstrap: the confidence level must be within (0, 1)");
    if (o.topK < 1)
        throw Error("bootstrap: top k must be at least 1");
    const std::size_t n = c.size();
    const std::size_t nt = n ? c[0].size() : 0;
    for (const auto& row : c) {
        if (row.size() != nt)
            throw Error("bootstrap: the samples have different numbers of tensors");
        for (double v : row)
            if (!std::isfinite(v))
                throw Error("bootstrap: a contribution is not finite");
    }
    BootstrapResult r;
    r.resamples = o.resamples;
    r.level = o.level;
    r.topK = o.topK;
    r.seed = o.seed;
    r.samples = static_cast<int64_t>(n);
    std::vector<double> mean(nt, 0.0);
    for (const auto& row : c)
        for (std::size_t t = 0; t < nt; ++t)
            mean[t] += row[t];
    if (n)
        for (double& m : mean)
            m /= static_cast<double>(n);
    const std::vector<std::size_t> top = topIndices(mean, static_cast<std::size_t>(o.topK));
    if (n < 2) {
        r.lower = mean;
        r.upper = mean;
        for (std::size_t t : top)
            r.top.push_back({t, 1.0});
        return r;
    }
    std::vector<std::vector<double>> draws(
        nt, std::vector<double>(static_cast<std::size_t>(o.resamples)));
    std::vector<int> stays(top.size(), 0);
    std::vector<uint8_t> inTop(nt);
    uint64_t state = o.seed;
    std::vector<double> acc(nt);
    for (int b = 0; b < o.resamples; ++b) {
        job.check();
        job.report(static_cast<double>(b) / o.resamples, "bootstrap", b, o.resamples);
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::size_t s = 0; s < n; ++s) {
            const std::size_t pick = static_cast<std::size_t>(splitmix(state) % n);
            const auto& row = c[pick];
            for (std::size_t t = 0; t < nt; ++t)
                acc[t] += row[t];
        }
        for (std::size_t t = 0; t < nt; ++t) {
            acc[t] /= static_cast<double>(n);
            draws[t][static_cast<std::size_t>(b)] = acc[t];
        }
        std::fill(inTop.begin(), inTop.end(), 0);
        for (std::size_t t : topIndices(acc, top.size()))
            inTop[t] = 1;
        for (std::size_t k = 0; k < top.size(); ++k)
            stays[k] += inTop[top[k]];
    }
    r.lower.resize(nt);
    r.upper.resize(nt);
    for (std::size_t t = 0; t < nt; ++t) {
        r.lower[t] = interpolated(draws[t], (1 - o.level) / 2);
        r.upper[t] = interpolated(draws[t], (1 + o.level) / 2);
    }
    for (std::size_t k = 0; k < top.size(); ++k)
        r.top.push_back({top[k], static_cast<double>(stays[k]) / o.resamples});
    job.report(1.0, "bootstrap", o.resamples, o.resamples);
    return r;
}

} // namespace taskquant::sensitivity
