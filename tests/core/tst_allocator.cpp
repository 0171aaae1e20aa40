#include <QtTest/QtTest>
#include <limits>
#include <random>

#include "core/jobs/progress.h"
#include "core/policy/allocator.h"
#include "core/quant/precision.h"
#include "core/util/error.h"

using namespace taskquant;
using namespace taskquant::policy;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Best {
    double objective = kInf;
    uint64_t bytes = 0;
};

// Exhaustive search over every assignment: the reference the DP must match.
Best bruteForce(const std::vector<AllocationItem>& items, double budget) {
    Best best;
    std::vector<std::size_t> pick(items.size(), 0);
    for (;;) {
        double obj = 0, bytes = 0;
        for (std::size_t i = 0; i < items.size(); ++i) {
            obj += items[i].cost[pick[i]];
            bytes += static_cast<double>(items[i].bytes[pick[i]]);
        }
        if (bytes <= budget && obj < best.objective)
            best = {obj, static_cast<uint64_t>(bytes)};
        std::size_t i = 0;
        while (i < items.size() && ++pick[i] == items[i].cost.size())
            pick[i++] = 0;
        if (i == items.size())
            break;
    }
    return best;
}

// Random instance over real precisions and shapes; about 1 in 8 options forbidden.
std::vector<AllocationItem> randomInstance(std::mt19937& rng, std::size_t n) {
    const std::vector<quant::Precision> precisions = {
        quant::Precision::parse("f16"), quant::Precision::parse("int8_g128"),
        quant::Precision::parse("int4_g128"), quant::Precision::parse("int4_g32")};
    std::uniform_int_distribution<int> rows(1, 6), colPick(0, 3), optCount(2, 4), forbid(0, 7);
    std::uniform_real_distribution<double> score(0.0, 10.0), err(0.0, 1.0);
    const int64_t cols[] = {64, 128, 200, 256};
    std::vector<AllocationItem> items;
    for (std::size_t i = 0; i < n; ++i) {
        AllocationItem it;
        it.name = "t" + std::to_string(i);
        const std::vector<int64_t> shape = {rows(rng), cols[colPick(rng)]};
        const double s = score(rng);
        const int k = optCount(rng);
        for (int j = 0; j < k; ++j) {
            it.bytes.push_back(precisions[static_cast<std::size_t>(j)].bytes(shape));
            const double e = j == 0 ? 0.0 : err(rng) * j; // coarser precisions err more on average
            it.cost.push_back(j > 0 && forbid(rng) == 0 ? kInf : s * e);
        }
        items.push_back(std::move(it));
    }
    return items;
}

uint64_t sumBytes(const std::vector<AllocationItem>& items, const std::vector<int>& choice) {
    uint64_t b = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
        b += items[i].bytes[static_cast<std::size_t>(choice[i])];
    return b;
}

double sumCost(const std::vector<AllocationItem>& items, const std::vector<int>& choice) {
    double c = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
        c += items[i].cost[static_cast<std::size_t>(choice[i])];
    return c;
}

std::pair<uint64_t, uint64_t> byteRange(const std::vector<AllocationItem>& items) {
    uint64_t lo = 0, hi = 0;
    for (const auto& it : items) {
        uint64_t mn = std::numeric_limits<uint64_t>::max(), mx = 0;
        for (std::size_t j = 0; j < it.bytes.size(); ++j)
            if (it.cost[j] != kInf) {
                mn = std::min(mn, it.bytes[j]);
                mx = std::max(mx, it.bytes[j]);
            }
        lo += mn;
        hi += mx;
    }
    return {lo, hi};
}

} // namespace

class TstAllocator : public QObject {
    Q_OBJECT
  private slots:
    void handInstance() {
        // Two tensors; options (bytes, cost): a: (100, 0) (60, 4) (30, 10); b: (100, 0) (60, 1)
        // (30, 9). By hand, budget 130: (100,30) = 130 B cost 9, (60,60) = 120 B cost 5*, (30,100)
        // cost 10, (30,60) cost 11, (60,30) cost 13, (30,30) cost 19 -> a 60, b 60, cost 5, 120
        // bytes. Budget 119: (30,60) = 90 B cost 11 is the best that fits. Budget 160: (100,60) =
        // 160 B cost 1.
        const std::vector<AllocationItem> items = {{"a", {100, 60, 30}, {0, 4, 10}},
                                                   {"b", {100, 60, 30}, {0, 1, 9}}};
        Allocation r = allocateOptimal(items, 130);
        QCOMPARE(r.choice, (std::vector<int>{1, 1}));
        QCOMPARE(r.objective, 5.0);
        QCOMPARE(r.bytes, uint64_t(120));
        QVERIFY(r.exact);
        r = allocateOptimal(items, 119);
        QCOMPARE(r.choice, (std::vector<int>{2, 1}));
        QCOMPARE(r.objective, 11.0);
        QCOMPARE(r.bytes, uint64_t(90));
        r = allocateOptimal(items, 160);
        QCOMPARE(r.choice, (std::vector<int>{0, 1}));
        QCOMPARE(r.objective, 1.0);
        QCOMPARE(allocateOptimal(items, 200).objective, 0.0);
        QCOMPARE(allocateOptimal(items, 60).choice, (std::vector<int>{2, 2}));
    }

    void equalsBruteForceOnRandomInstances() {
        std::mt19937 rng(20240607);
        for (int trial = 0; trial < 300; ++trial) {
            const std::size_t n = 1 + static_cast<std::size_t>(trial % 7);
            const auto items = randomInstance(rng, n);
            const auto [lo, hi] = byteRange(items);
            std::uniform_int_distribution<uint64_t> pickBudget(lo, hi);
            const uint64_t budget = pickBudget(rng);
            const Allocation r = allocateOptimal(items, budget);
            const Best ref = bruteForce(items, static_cast<double>(budget));
            QVERIFY(r.exact); // byte sizes share large gcds: these instances are solved exactly
            QVERIFY2(r.bytes <= budget, qPrintable(QStringLiteral("trial %1").arg(trial)));
            QCOMPARE(r.bytes, sumBytes(items, r.choice));
            QCOMPARE(r.objective, sumCost(items, r.choice));
            // Exact mode: the same optimum (sums of the same doubles; allow rounding order).
            QVERIFY2(std::fabs(r.objective - ref.objective) <= 1e-9 * std::max(1.0, ref.objective),
                     qPrintable(QStringLiteral("trial %1: dp %2 vs brute force %3")
                                    .arg(trial)
                                    .arg(r.objective)
                                    .arg(ref.objective)));
        }
    }

    void coarseUnitsNeverExceedBudget() {
        // Force rounding with a tiny table. Upgrades are rounded up to whole units and the
        // capacity down, so no answer can exceed the budget; rounding costs < 1 unit per item,
        // so the answer is at least as good as the true optimum under budget - n*unit.
        std::mt19937 rng(77);
        AllocatorOptions opts;
        opts.maxUnits = 7;
        int inexact = 0;
        for (int trial = 0; trial < 300; ++trial) {
            const std::size_t n = 2 + static_cast<std::size_t>(trial % 6);
            const auto items = randomInstance(rng, n);
            const auto [lo, hi] = byteRange(items);
            std::uniform_int_distribution<uint64_t> pickBudget(lo, hi);
            const uint64_t budget = pickBudget(rng);
            const Allocation r = allocateOptimal(items, budget, opts);
            QVERIFY(r.bytes <= budget);
            QCOMPARE(r.bytes, sumBytes(items, r.choice));
            const Best ref = bruteForce(items, static_cast<double>(budget));
            QVERIFY(r.objective >=
                    ref.objective - 1e-9 * std::max(1.0, ref.objective)); // cannot beat optimum
            if (r.exact) {
                QVERIFY(std::fabs(r.objective - ref.objective) <=
                        1e-9 * std::max(1.0, ref.objective));
                continue;
            }
            ++inexact;
            QCOMPARE(r.slackBytes % r.unitBytes, uint64_t(0));
            const double tighter = static_cast<double>(budget) - static_cast<double>(r.slackBytes);
            const Best bound = bruteForce(items, tighter);
            if (bound.objective != kInf)
                QVERIFY2(r.objective <= bound.objective + 1e-9 * std::max(1.0, bound.objective),
                         qPrintable(QStringLiteral("trial %1").arg(trial)));
        }
        QVERIFY(inexact > 100); // the rounding path was really exercised
    }

    void errors() {
        const std::vector<AllocationItem> items = {{"a", {100, 30}, {0, 5}},
                                                   {"b", {100, 30}, {0, 5}}};
        QVERIFY_THROWS_EXCEPTION(Error, allocateOptimal(items, 59)); // below the smallest size, 60
        QCOMPARE(allocateOptimal(items, 60).objective, 10.0);
        QVERIFY_THROWS_EXCEPTION(Error, allocateOptimal({{"x", {10, 5}, {kInf, kInf}}}, 100));
        QVERIFY_THROWS_EXCEPTION(Error, allocateOptimal({{"x", {10, 5}, {1.0}}}, 100));
        QVERIFY_THROWS_EXCEPTION(Error, allocateOptimal({{"x", {10}, {-1.0}}}, 100));
        QCOMPARE(allocateOptimal({}, 0).objective, 0.0);
        // A forbidden option is never chosen even when it is the cheapest.
        const Allocation r = allocateOptimal({{"x", {10, 5}, {3.0, kInf}}}, 100);
        QCOMPARE(r.choice, (std::vector<int>{0}));
    }

    void cancelAndProgress() {
        std::mt19937 rng(5);
        const auto items = randomInstance(rng, 6);
        CancelToken token;
        token.cancel();
        JobControl job;
        job.cancel = &token;
        QVERIFY_THROWS_EXCEPTION(Cancelled,
                                 allocateOptimal(items, byteRange(items).second, {}, job));
        double last = -1;
        bool monotone = true;
        JobControl progress;
        progress.progress = [&](const ProgressInfo& p) {
            monotone = monotone && p.fraction >= last;
            last = p.fraction;
        };
        allocateOptimal(items, byteRange(items).second, {}, progress);
        QVERIFY(monotone);
        QCOMPARE(last, 1.0);
    }

    void largeInstanceStaysWithinBudget() {
        // 500 tensors of Llama-like shapes: not brute-forceable, but the answer must respect the
        // budget, and must beat (or tie) the all-cheapest and greedy baselines it dominates.
        std::mt19937 rng(11);
        const auto f16 = quant::Precision::parse("f16"), i8 = quant::Precision::parse("int8_g128"),
                   i4 = quant::Precision::parse("int4_g128");
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::vector<AllocationItem> items;
        for (int i = 0; i < 500; ++i) {
            const std::vector<int64_t> shape = {i % 3 == 0 ? 11008 : 4096, 4096};
            const double s = std::exp(8 * u(rng));
            items.push_back({"t" + std::to_string(i),
                             {f16.bytes(shape), i8.bytes(shape), i4.bytes(shape)},
                             {0.0, s * 1e-4 * u(rng), s * 3e-3 * u(rng)}});
        }
        const auto [lo, hi] = byteRange(items);
        const uint64_t budget = lo + (hi - lo) / 3;
        const Allocation r = allocateOptimal(items, budget);
        QVERIFY(r.bytes <= budget);
        double allLow = 0;
        for (const auto& it : items)
            allLow += it.cost[2];
        QVERIFY(r.objective < allLow);
    }
};

QTEST_APPLESS_MAIN(TstAllocator)
#include "tst_allocator.moc"
