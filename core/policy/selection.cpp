#include "core/policy/selection.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/models/taxonomy.h"
#include "core/policy/thresholds.h"
#include "core/util/error.h"

namespace taskquant::policy {

SelectionMethod parseSelectionMethod(const std::string& name) {
    if (name == "pct" || name == "percentile")
        return SelectionMethod::Percentile;
    if (name == "otsu")
        return SelectionMethod::Otsu;
    if (name == "elbow" || name == "elb")
        return SelectionMethod::Elbow;
    if (name == "gradient")
        return SelectionMethod::Gradient;
    if (name == "cumulative")
        return SelectionMethod::Cumulative;
    if (name == "knapsack")
        return SelectionMethod::Knapsack;
    if (name == "blocks" || name == "block_aware")
        return SelectionMethod::Blocks;
    throw Error("unknown selection method '" + name +
                "' (expected pct, otsu, elbow, gradient, cumulative, knapsack or blocks)");
}

std::string selectionMethodName(SelectionMethod m) {
    switch (m) {
    case SelectionMethod::Percentile:
        return "pct";
    case SelectionMethod::Otsu:
        return "otsu";
    case SelectionMethod::Elbow:
        return "elbow";
    case SelectionMethod::Gradient:
        return "gradient";
    case SelectionMethod::Cumulative:
        return "cumulative";
    case SelectionMethod::Knapsack:
        return "knapsack";
    case SelectionMethod::Blocks:
        return "blocks";
    }
    return "?";
}

namespace {

void checkFraction(double f, const char* what) {
    if (!(f >= 0.0 && f <= 1.0))
        throw Error(std::string(what) + " must be within 0..1");
}

Selection knapsack(const std::vector<Candidate>& cs, const SelectionParams& p) {
    if (!(p.budgetMiB >= 0) || !std::isfinite(p.budgetMiB))
        throw Error("knapsack: the budget must be a non-negative number of MiB");
    const double budget = p.budgetMiB * 1024.0 * 1024.0;
    struct Item {
        std::size_t index;
        uint64_t cost;
        double density;
    };
    std::vector<Item> items;
    for (std::size_t i = 0; i < cs.size(); ++i) {
        if (cs[i].bytesKept <= cs[i].bytesQuantized)
            continue;
        const uint64_t cost = cs[i].bytesKept - cs[i].bytesQuantized;
        items.push_back({i, cost, cs[i].score / static_cast<double>(cost)});
    }
    std::stable_sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
        return p.invert ? a.density < b.density : a.density > b.density;
    });
    std::vector<bool> keep(cs.size(), false);
    Selection sel;
    for (const Item& it : items) {
        if (static_cast<double>(sel.extraBytes + it.cost) <= budget) {
            keep[it.index] = true;
            sel.extraBytes += it.cost;
        }
    }
    for (std::size_t i = 0; i < cs.size(); ++i)
        if (keep[i])
            sel.kept.push_back(cs[i].name);
    return sel;
}

Selection blocks(const std::vector<Candidate>& cs, const SelectionParams& p) {
    checkFraction(p.keepFraction, "blocks: the fraction of blocks to keep");
    std::vector<int> order; // block ids in first-seen order
    std::map<int, std::pair<double, std::size_t>> sums;
    std::vector<int> blockOf(cs.size());
    for (std::size_t i = 0; i < cs.size(); ++i) {
        const models::TensorClass c = models::classify(cs[i].name);
        const int b = c.place == models::Place::Layer ? c.layer : -1;
        blockOf[i] = b;
        auto [it, fresh] = sums.emplace(b, std::make_pair(0.0, std::size_t(0)));
        if (fresh)
            order.push_back(b);
        it->second.first += cs[i].score;
        it->second.second += 1;
    }
    auto mean = [&](int b) { return sums[b].first / static_cast<double>(sums[b].second); };
    std::vector<int> ranked = order;
    std::stable_sort(ranked.begin(), ranked.end(), [&](int a, int b) {
        return p.invert ? mean(a) < mean(b) : mean(a) > mean(b);
    });
    const std::size_t n = std::max<std::size_t>(
        1,
        static_cast<std::size_t>(std::floor(static_cast<double>(ranked.size()) * p.keepFraction)));
    Selection sel;
    sel.keptBlocks.assign(ranked.begin(),
                          ranked.begin() + static_cast<long>(std::min(n, ranked.size())));
    for (std::size_t i = 0; i < cs.size(); ++i)
        if (std::find(sel.keptBlocks.begin(), sel.keptBlocks.end(), blockOf[i]) !=
            sel.keptBlocks.end())
            sel.kept.push_back(cs[i].name);
    return sel;
}

} // namespace

Selection selectProtected(const std::vector<Candidate>& candidates, const SelectionParams& p) {
    if (candidates.empty())
        throw Error("no tensors to select from");
    for (const auto& c : candidates)
        if (!std::isfinite(c.score) || c.score < 0)
            throw Error("score of \"" + c.name + "\" is not a finite non-negative number");
    if (p.method == SelectionMethod::Knapsack)
        return knapsack(candidates, p);
    if (p.method == SelectionMethod::Blocks)
        return blocks(candidates, p);

    std::vector<double> scores;
    scores.reserve(candidates.size());
    for (const auto& c : candidates)
        scores.push_back(c.score);
    Selection sel;
    switch (p.method) {
    case SelectionMethod::Percentile:
        checkFraction(p.keepFraction, "pct: the fraction to keep");
        sel.threshold = thresholdPercentile(scores, p.keepFraction);
        break;
    case SelectionMethod::Otsu:
        sel.threshold = thresholdOtsu(scores);
        break;
    case SelectionMethod::Elbow: {
        const ElbowResult e = thresholdElbow(scores);
        sel.threshold = e.threshold;
        sel.knee = e.knee;
        break;
    }
    case SelectionMethod::Gradient:
        if (!(p.gradientRatio > 0 && p.gradientRatio <= 1))
            throw Error("gradient: the ratio must be within (0, 1]");
        sel.threshold = thresholdGradient(scores, p.gradientRatio);
        break;
    case SelectionMethod::Cumulative:
        if (!(p.cumulativeShare > 0 && p.cumulativeShare <= 1))
            throw Error("cumulative: the share must be within (0, 1]");
        sel.threshold = thresholdCumulative(scores, p.cumulativeShare);
        break;
    default:
        break;
    }
    for (const auto& c : candidates)
        if (p.invert ? c.score <= *sel.threshold : c.score >= *sel.threshold)
            sel.kept.push_back(c.name);
    return sel;
}

} // namespace taskquant::policy
