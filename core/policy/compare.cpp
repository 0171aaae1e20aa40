#include "core/policy/compare.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "core/util/error.h"

namespace taskquant::policy {

using sensitivity::SensitivityMap;

std::vector<double> averageRanks(const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> rank(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k)
            rank[order[k]] = r;
        i = j + 1;
    }
    return rank;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size())
        throw Error("spearman: the lists differ in length");
    const std::size_t n = a.size();
    if (n < 2)
        return std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> ra = averageRanks(a), rb = averageRanks(b);
    const double mean = (static_cast<double>(n) + 1.0) / 2.0; // mean of ranks, ties included
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = ra[i] - mean, y = rb[i] - mean;
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    if (saa == 0 || sbb == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return sab / std::sqrt(saa * sbb);
}

double kendallTauB(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size())
        throw Error("kendall: the lists differ in length");
    const std::size_t n = a.size();
    double concordant = 0, discordant = 0, tiesA = 0, tiesB = 0, pairs = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            pairs += 1;
            const double da = a[i] - a[j], db = b[i] - b[j];
            if (da == 0)
                tiesA += 1;
            if (db == 0)
                tiesB += 1;
            if (da == 0 || db == 0)
                continue;
            if ((da > 0) == (db > 0))
                concordant += 1;
            else
                discordant += 1;
        }
    const double denom = std::sqrt((pairs - tiesA) * (pairs - tiesB));
    if (!(denom > 0))
        return std::numeric_limits<double>::quiet_NaN();
    return (concordant - discordant) / denom;
}

namespace {

// 1-based descending ranks, ties by order (as SensitivityMap::ranks()).
std::vector<int> descendingRanks(const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return v[a] > v[b]; });
    std::vector<int> r(v.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        r[order[i]] = static_cast<int>(i) + 1;
    return r;
}

bool takesPart(const std::string& name, bool linearOnly) {
    return !linearOnly || models::classify(name).isQuantizableWeight();
}

double smallestPositive(const std::vector<double>& v) {
    double m = std::numeric_limits<double>::infinity();
    for (double x : v)
        if (x > 0)
            m = std::min(m, x);
    return std::isinf(m) ? 1.0 : m;
}

} // namespace

MapComparison compareMaps(const SensitivityMap& a, const SensitivityMap& b,
                          const CompareOptions& options) {
    MapComparison cmp;
    cmp.normalised = options.normaliseToMax;
    std::vector<double> va, vb;
    for (const auto& e : a.entries()) {
        if (!takesPart(e.name, options.linearOnly))
            continue;
        if (const auto* f = b.find(e.name)) {
            TensorDelta d;
            d.name = e.name;
            d.a = e.score;
            d.b = f->score;
            cmp.tensors.push_back(d);
            va.push_back(e.score);
            vb.push_back(f->score);
        } else {
            cmp.onlyInA.push_back(e.name);
        }
    }
    for (const auto& e : b.entries())
        if (takesPart(e.name, options.linearOnly) && !a.find(e.name))
            cmp.onlyInB.push_back(e.name);
    if (cmp.tensors.empty())
        throw Error("the two maps have no tensor in common");
    cmp.spearman = spearman(va, vb);
    cmp.kendall = kendallTauB(va, vb);
    const std::vector<int> ra = descendingRanks(va), rb = descendingRanks(vb);
    const double maxA = *std::max_element(va.begin(), va.end()),
                 maxB = *std::max_element(vb.begin(), vb.end());
    const double floorA = smallestPositive(va), floorB = smallestPositive(vb);
    for (std::size_t i = 0; i < cmp.tensors.size(); ++i) {
        TensorDelta& d = cmp.tensors[i];
        d.rankA = ra[i];
        d.rankB = rb[i];
        if (options.normaliseToMax) {
            if (maxA > 0)
                d.a /= maxA;
            if (maxB > 0)
                d.b /= maxB;
        }
        const double fa = options.normaliseToMax && maxA > 0 ? floorA / maxA : floorA;
        const double fb = options.normaliseToMax && maxB > 0 ? floorB / maxB : floorB;
        d.log2Ratio = std::log2(std::max(d.b, fb) / std::max(d.a, fa));
    }
    return cmp;
}

double MapComparison::topKOverlap(std::size_t k) const {
    k = std::min(k, tensors.size());
    if (k == 0)
        return std::numeric_limits<double>::quiet_NaN();
    std::size_t both = 0;
    for (const auto& d : tensors)
        if (d.rankA <= static_cast<int>(k) && d.rankB <= static_cast<int>(k))
            ++both;
    return static_cast<double>(both) / static_cast<double>(k);
}

std::vector<TensorDelta> MapComparison::largestRankShifts(std::size_t n) const {
    std::vector<TensorDelta> out = tensors;
    std::stable_sort(out.begin(), out.end(), [](const TensorDelta& x, const TensorDelta& y) {
        const int sx = std::abs(x.rankA - x.rankB), sy = std::abs(y.rankA - y.rankB);
        if (sx != sy)
            return sx > sy;
        return std::fabs(x.log2Ratio) > std::fabs(y.log2Ratio);
    });
    if (out.size() > n)
        out.resize(n);
    return out;
}

std::vector<SilentTensor> silentTensors(const SensitivityMap& fisher,
                                        const SensitivityMap& magnitude, double fisherTop,
                                        double magnitudeBottom, bool linearOnly) {
    if (!(fisherTop >= 0 && fisherTop <= 1 && magnitudeBottom >= 0 && magnitudeBottom <= 1))
        throw Error("silent tensors: fractions must be within 0..1");
    CompareOptions o;
    o.linearOnly = linearOnly;
    const MapComparison cmp = compareMaps(fisher, magnitude, o);
    const double n = static_cast<double>(cmp.tensors.size());
    std::vector<SilentTensor> out;
    for (const auto& d : cmp.tensors) {
        const bool highFisher = d.rankA <= static_cast<int>(std::ceil(fisherTop * n));
        const bool lowMagnitude =
            d.rankB > static_cast<int>(std::floor((1.0 - magnitudeBottom) * n));
        if (highFisher && lowMagnitude)
            out.push_back({d.name, d.rankA, d.rankB, d.a, d.b});
    }
    std::stable_sort(out.begin(), out.end(), [](const SilentTensor& x, const SilentTensor& y) {
        return x.magnitudeRank - x.fisherRank > y.magnitudeRank - y.fisherRank;
    });
    return out;
}

namespace {
void finish(std::vector<Aggregate>& rows) {
    for (auto& r : rows)
        r.mean = r.count ? r.sum / static_cast<double>(r.count) : 0.0;
}
void add(Aggregate& g, const sensitivity::MapEntry& e) {
    g.max = g.count == 0 ? e.score : std::max(g.max, e.score);
    ++g.count;
    g.sum += e.score;
    g.numel += e.numel;
}
} // namespace

std::vector<Aggregate> aggregateByLayer(const SensitivityMap& map) {
    // Sort keys: embeddings, layers, final norm, lm_head, other.
    std::map<std::pair<int, int>, Aggregate> rows;
    for (const auto& e : map.entries()) {
        const models::TensorClass c = models::classify(e.name);
        int group = 0;
        switch (c.place) {
        case models::Place::Embeddings:
            group = 0;
            break;
        case models::Place::Layer:
            group = 1;
            break;
        case models::Place::FinalNorm:
            group = 2;
            break;
        case models::Place::LmHead:
            group = 3;
            break;
        case models::Place::Other:
            group = 4;
            break;
        }
        Aggregate& g = rows[{group, c.layer}];
        g.layer = c.layer;
        g.key =
            c.place == models::Place::Layer ? std::to_string(c.layer) : models::placeId(c.place);
        add(g, e);
    }
    std::vector<Aggregate> out;
    for (auto& [k, g] : rows)
        out.push_back(g);
    finish(out);
    return out;
}

std::vector<Aggregate> aggregateByKind(const SensitivityMap& map) {
    const models::Scheme scheme = models::resolveScheme(map.provenance().architecture, map.names());
    std::vector<models::Kind> order = models::layerColumnOrder(scheme);
    for (models::Kind k : models::layerColumnOrder(models::Scheme::Unknown))
        if (std::find(order.begin(), order.end(), k) == order.end())
            order.push_back(k);
    for (models::Kind k : {models::Kind::Embed, models::Kind::PosEmbed, models::Kind::FinalNorm,
                           models::Kind::LmHead, models::Kind::Other})
        order.push_back(k);
    std::map<models::Kind, Aggregate> byKind;
    for (const auto& e : map.entries()) {
        const models::Kind k = models::classify(e.name).kind;
        Aggregate& g = byKind[k];
        g.key = models::kindId(k);
        add(g, e);
    }
    std::vector<Aggregate> out;
    for (models::Kind k : order) {
        auto it = byKind.find(k);
        if (it != byKind.end())
            out.push_back(it->second);
    }
    finish(out);
    return out;
}

std::vector<CurvePoint> normalisedCurve(const SensitivityMap& map) {
    std::vector<CurvePoint> out;
    double mx = 0;
    for (const auto& e : map.entries()) {
        out.push_back({e.name, e.score, 0});
        mx = std::max(mx, e.score);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const CurvePoint& a, const CurvePoint& b) { return a.score > b.score; });
    for (auto& p : out)
        p.normalised = mx > 0 ? p.score / mx : 0.0;
    return out;
}

} // namespace taskquant::policy
