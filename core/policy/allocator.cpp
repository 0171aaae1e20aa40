#include "core/policy/allocator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/util/error.h"

namespace taskquant::policy {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Prepared {
    std::size_t item;              // index into items
    uint64_t baseBytes;            // cheapest allowed option
    std::vector<int> options;      // allowed options that can ever fit
    std::vector<uint64_t> upgrade; // bytes above base, per entry of options
    std::vector<uint64_t> units;   // DP weight, per entry of options
};
} // namespace

Allocation allocateOptimal(const std::vector<AllocationItem>& items, uint64_t budgetBytes,
                           const AllocatorOptions& options, const JobControl& job) {
    // Validate and find every item's base (cheapest allowed option).
    std::vector<Prepared> prep;
    prep.reserve(items.size());
    uint64_t baseTotal = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const AllocationItem& it = items[i];
        if (it.bytes.size() != it.cost.size())
            throw Error("allocator: \"" + it.name + "\" has " + std::to_string(it.bytes.size()) +
                        " sizes for " + std::to_string(it.cost.size()) + " costs");
        if (it.bytes.size() > 255)
            throw Error("allocator: more than 255 options");
        Prepared p{i, std::numeric_limits<uint64_t>::max(), {}, {}, {}};
        for (std::size_t j = 0; j < it.cost.size(); ++j) {
            const double c = it.cost[j];
            if (std::isnan(c) || c < 0)
                throw Error("allocator: cost of \"" + it.name + "\" is negative or NaN");
            if (c != kInf)
                p.baseBytes = std::min(p.baseBytes, it.bytes[j]);
        }
        if (p.baseBytes == std::numeric_limits<uint64_t>::max())
            throw Error("allocator: \"" + it.name + "\" has no allowed precision");
        baseTotal += p.baseBytes;
        prep.push_back(std::move(p));
    }
    if (baseTotal > budgetBytes)
        throw Error("the budget of " + std::to_string(budgetBytes) +
                    " bytes is below the smallest " + "possible size, " +
                    std::to_string(baseTotal) + " bytes");
    const uint64_t room = budgetBytes - baseTotal;

    uint64_t g = 0;
    for (Prepared& p : prep) {
        const AllocationItem& it = items[p.item];
        for (std::size_t j = 0; j < it.cost.size(); ++j) {
            if (it.cost[j] == kInf)
                continue;
            const uint64_t up = it.bytes[j] - p.baseBytes;
            if (up > room)
                continue; // can never fit
            p.options.push_back(static_cast<int>(j));
            p.upgrade.push_back(up);
            if (up > 0)
                g = std::gcd(g, up);
        }
    }

    std::size_t multi = 0;
    for (const Prepared& p : prep)
        multi += p.options.size() > 1 ? 1 : 0;
    uint64_t maxUnits = options.maxUnits;
    if (maxUnits == 0)
        maxUnits = std::min<uint64_t>(
            uint64_t(1) << 22,
            std::max<uint64_t>(1024, options.memoryLimitBytes / std::max<std::size_t>(1, multi)));

    Allocation a;
    uint64_t capacity = 0;
    if (g == 0) {
        a.exact = true; // no option costs more than its base: pick the cheapest cost each
    } else if (room / g <= maxUnits) {
        a.exact = true;
        a.unitBytes = g;
        capacity = room / g;
    } else {
        a.unitBytes = (room + maxUnits - 1) / maxUnits;
        capacity = room / a.unitBytes;
        a.slackBytes = a.unitBytes * multi;
    }
    for (Prepared& p : prep)
        for (uint64_t up : p.upgrade)
            p.units.push_back(g == 0 ? 0 : (up + a.unitBytes - 1) / a.unitBytes);

    // DP over capacity: best[c] = least cost of the items so far using at most c units.
    const std::size_t width = static_cast<std::size_t>(capacity) + 1;
    std::vector<double> best(width, 0.0), next(width);
    std::vector<std::vector<uint8_t>> pick(prep.size());
    for (std::size_t k = 0; k < prep.size(); ++k) {
        job.check();
        job.report(static_cast<double>(k) / static_cast<double>(prep.size()),
                   "allocating precisions", static_cast<long long>(k),
                   static_cast<long long>(prep.size()));
        const Prepared& p = prep[k];
        const AllocationItem& it = items[p.item];
        if (p.options.size() == 1) {
            const double c0 = it.cost[static_cast<std::size_t>(p.options[0])];
            for (double& v : best)
                v += c0;
            continue;
        }
        pick[k].assign(width, 0);
        std::vector<uint8_t>& row = pick[k];
        for (std::size_t c = 0; c < width; ++c) {
            double v = kInf;
            uint8_t arg = 0;
            for (std::size_t o = 0; o < p.options.size(); ++o) {
                if (p.units[o] > c)
                    continue;
                const double cand =
                    best[c - p.units[o]] + it.cost[static_cast<std::size_t>(p.options[o])];
                if (cand < v) {
                    v = cand;
                    arg = static_cast<uint8_t>(o);
                }
            }
            next[c] = v;
            row[c] = arg;
        }
        best.swap(next);
    }

    // Reconstruct.
    a.choice.assign(items.size(), 0);
    std::size_t c = width - 1;
    for (std::size_t k = prep.size(); k-- > 0;) {
        const Prepared& p = prep[k];
        const std::size_t o = p.options.size() == 1 ? 0 : pick[k][c];
        a.choice[p.item] = p.options[o];
        c -= static_cast<std::size_t>(p.units[o]);
    }
    for (std::size_t i = 0; i < items.size(); ++i)
        a.bytes += items[i].bytes[static_cast<std::size_t>(a.choice[i])];

    if (!a.exact) {
        // Spend what rounding left unused on the best-fitting improvements.
        for (;;) {
            double gain = 0;
            std::size_t bi = 0;
            int bj = -1;
            for (const Prepared& p : prep) {
                const AllocationItem& it = items[p.item];
                const int cur = a.choice[p.item];
                for (int j : p.options) {
                    const uint64_t nb = a.bytes - it.bytes[static_cast<std::size_t>(cur)] +
                                        it.bytes[static_cast<std::size_t>(j)];
                    const double d = it.cost[static_cast<std::size_t>(cur)] -
                                     it.cost[static_cast<std::size_t>(j)];
                    if (nb <= budgetBytes && d > gain) {
                        gain = d;
                        bi = p.item;
                        bj = j;
                    }
                }
            }
            if (bj < 0)
                break;
            a.bytes = a.bytes - items[bi].bytes[static_cast<std::size_t>(a.choice[bi])] +
                      items[bi].bytes[static_cast<std::size_t>(bj)];
            a.choice[bi] = bj;
        }
    }
    for (std::size_t i = 0; i < items.size(); ++i)
        a.objective += items[i].cost[static_cast<std::size_t>(a.choice[i])];
    job.report(1.0, "allocating precisions", static_cast<long long>(items.size()),
               static_cast<long long>(items.size()));
    return a;
}

} // namespace taskquant::policy
