#include <QtTest/QtTest>

#include "core/policy/selection.h"
#include "core/policy/thresholds.h"
#include "core/sensitivity/sensitivity_map.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::policy;

namespace {

// Candidates named after their position so kept sets read easily.
std::vector<Candidate> cands(const std::vector<double>& scores) {
    std::vector<Candidate> out;
    for (std::size_t i = 0; i < scores.size(); ++i)
        out.push_back({"t" + std::to_string(i), scores[i], 0, 0});
    return out;
}

std::vector<std::string> keptOf(const std::vector<double>& scores, SelectionMethod m,
                                double param = -1, bool invert = false) {
    SelectionParams p;
    p.method = m;
    p.invert = invert;
    if (param >= 0) {
        p.keepFraction = param;
        p.gradientRatio = param;
        p.cumulativeShare = param;
    }
    return selectProtected(cands(scores), p).kept;
}

using Names = std::vector<std::string>;

} // namespace

class TstThresholds : public QObject {
    Q_OBJECT
  private slots:
    void quantileMatchesNumpyLinear() {
        // numpy.quantile, "linear": position q*(n-1) in the sorted list, interpolated.
        QCOMPARE(quantileLinear({5, 1, 4, 2, 3}, 0.8), 4.2); // position 3.2: 4 + 0.2*(5-4)
        QCOMPARE(quantileLinear({3, 1, 2, 10}, 0.5), 2.5);   // position 1.5
        QCOMPARE(quantileLinear({3, 1, 2, 10}, 0.0), 1.0);
        QCOMPARE(quantileLinear({3, 1, 2, 10}, 1.0), 10.0);
        QCOMPARE(quantileLinear({7}, 0.3), 7.0);
        QVERIFY_THROWS_EXCEPTION(Error, quantileLinear({}, 0.5));
        QVERIFY_THROWS_EXCEPTION(Error, quantileLinear({1, 2}, 1.5));
    }

    void percentileKeepsTopFraction() {
        // keep 0.2 of [5,1,4,2,3]: quantile 0.8 = 4.2 -> only 5 is kept.
        QCOMPARE(thresholdPercentile({5, 1, 4, 2, 3}, 0.2), 4.2);
        QCOMPARE(keptOf({5, 1, 4, 2, 3}, SelectionMethod::Percentile, 0.2), (Names{"t0"}));
        // keep 0.4: quantile 0.6 = position 2.4 -> 3.4 -> 5 and 4.
        QCOMPARE(keptOf({5, 1, 4, 2, 3}, SelectionMethod::Percentile, 0.4), (Names{"t0", "t2"}));
        // inverted: score <= 4.2 -> everything but 5.
        QCOMPARE(keptOf({5, 1, 4, 2, 3}, SelectionMethod::Percentile, 0.2, true),
                 (Names{"t1", "t2", "t3", "t4"}));
        QCOMPARE(keptOf({5, 1, 4, 2, 3}, SelectionMethod::Percentile, 1.0).size(), std::size_t(5));
    }

    void otsuMatchesSkimage() {
        // Two clusters in bins 0 and 255 of [0, 10]: every split between them has the same
        // between-class variance; skimage takes the first, bin 0, whose centre is 10/512.
        QCOMPARE(thresholdOtsu({0, 0, 0, 10, 10, 10}), 10.0 / 512.0);
        // [1, 2, 9, 10]: bins of width 9/256; 1 -> bin 0, 2 -> bin 28, 9 -> 227, 10 -> 255.
        // Variance w1*w2*(m1-m2)^2 by hand: {1,2}|{9,10}: 4*7.98^2 = 254.8 beats {1}|{2,9,10}
        // and {1,2,9}|{10} (3*5.98^2 = 107.2). First best split: bin 28, centre 1 + 28.5*9/256.
        QCOMPARE(thresholdOtsu({1, 2, 9, 10}), 1.0 + 28.5 * 9.0 / 256.0);
        QCOMPARE(keptOf({1, 2, 9, 10}, SelectionMethod::Otsu), (Names{"t2", "t3"}));
        // All equal: skimage returns that value, so everything is kept.
        QCOMPARE(thresholdOtsu({3, 3, 3}), 3.0);
        QCOMPARE(keptOf({3, 3, 3}, SelectionMethod::Otsu).size(), std::size_t(3));
        QCOMPARE(thresholdOtsu({4}), 4.0);
    }

    void kneedleOnKnownCurve() {
        // y = 10, 5, 2, 1, 0.5, 0.25, 0 over x = 0..6. By hand: x_n = i/6, y_n = y/10,
        // difference curve (1 - y_n) - x_n = 0, .3333, .4667, .4, .2833, .1417, 0.
        // Its only local maximum is i = 2 (0.4667); threshold 0.4667 - 1/6 = 0.3;
        // at i = 3 the next value 0.2833 < 0.3, so the knee is x = 2.
        const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6};
        const std::vector<double> y = {10, 5, 2, 1, 0.5, 0.25, 0};
        QCOMPARE(kneedleConvexDecreasing(x, y), std::optional<std::size_t>(2));
        // A larger sensitivity S lowers the threshold (0.4667 - 3/6 < 0): no knee.
        QCOMPARE(kneedleConvexDecreasing(x, y, 3.0), std::optional<std::size_t>());
        // x need not start at 0: only its normalised values matter.
        QCOMPARE(kneedleConvexDecreasing({10, 11, 12, 13, 14, 15, 16}, y),
                 std::optional<std::size_t>(2));
        // A straight line has a flat difference curve: no knee.
        QCOMPARE(kneedleConvexDecreasing({0, 1, 2, 3, 4}, {5, 4, 3, 2, 1}),
                 std::optional<std::size_t>());
        QCOMPARE(kneedleConvexDecreasing({0}, {1}), std::optional<std::size_t>());
        QCOMPARE(kneedleConvexDecreasing({0, 1, 2}, {1, 1, 1}), std::optional<std::size_t>());
        QVERIFY_THROWS_EXCEPTION(Error, kneedleConvexDecreasing({0, 1}, {1}));
    }

    void elbowUsesKneeOrFallsBack() {
        const ElbowResult e = thresholdElbow({0.25, 10, 1, 0, 5, 0.5, 2}); // order does not matter
        QCOMPARE(e.knee, std::optional<std::size_t>(2));
        QCOMPARE(e.threshold, 2.0);
        QCOMPARE(keptOf({0.25, 10, 1, 0, 5, 0.5, 2}, SelectionMethod::Elbow),
                 (Names{"t1", "t4", "t6"}));
        // No knee on a straight line: numpy.quantile(scores, 0.2) = 1 + 0.8*(2-1) = 1.8.
        const ElbowResult f = thresholdElbow({1, 2, 3, 4, 5});
        QVERIFY(!f.knee);
        QCOMPARE(f.threshold, 1.8);
        QCOMPARE(keptOf({1, 2, 3, 4, 5}, SelectionMethod::Elbow), (Names{"t1", "t2", "t3", "t4"}));
    }

    void gradientFindsFlatteningSlope() {
        // log10 of 100, 10, 1, 0.9, 0.8 = 2, 1, 0, -0.0458, -0.0969; slopes 1, 1, 0.0458, 0.0512;
        // normalised by 1, the first under 0.05 is index 2 -> threshold 1.
        QCOMPARE(thresholdGradient({0.9, 100, 1, 0.8, 10}, 0.05), 1.0);
        QCOMPARE(keptOf({0.9, 100, 1, 0.8, 10}, SelectionMethod::Gradient, 0.05),
                 (Names{"t1", "t2", "t4"}));
        // Nothing under 0.01: numpy's argmax of an all-false mask is 0 -> the maximum.
        QCOMPARE(thresholdGradient({0.9, 100, 1, 0.8, 10}, 0.01), 100.0);
        QCOMPARE(thresholdGradient({2, 2, 2}, 0.05), 2.0); // flat: max slope 0
        QCOMPARE(thresholdGradient({7}, 0.05), 7.0);
    }

    void cumulativeShare() {
        // 50, 30, 10, 5, 5 of 100: running shares .5 .8 .9 .95 1.
        QCOMPARE(thresholdCumulative({5, 50, 10, 30, 5}, 0.85), 10.0);
        QCOMPARE(keptOf({5, 50, 10, 30, 5}, SelectionMethod::Cumulative, 0.85),
                 (Names{"t1", "t2", "t3"}));
        QCOMPARE(thresholdCumulative({5, 50, 10, 30, 5}, 0.5), 50.0);
        // 0.95 is reached at the first 5, and ties keep the other 5 as well.
        QCOMPARE(keptOf({5, 50, 10, 30, 5}, SelectionMethod::Cumulative, 0.95).size(),
                 std::size_t(5));
        QCOMPARE(thresholdCumulative({0, 0}, 0.9), 0.0);
    }

    void knapsackIsTheStudysGreedy() {
        // Costs (bytes kept - bytes quantized) and densities: A 100 (.1), B 30 (.3),
        // C 50 (.02), D 20 (.2). Order B, D, A, C.
        const std::vector<Candidate> cs = {{"A", 10, 150, 50},
                                           {"B", 9, 40, 10},
                                           {"C", 1, 60, 10},
                                           {"D", 4, 25, 5},
                                           {"E", 99, 10, 10}}; // E saves nothing
        auto run = [&](double bytes, bool invert) {
            SelectionParams p;
            p.method = SelectionMethod::Knapsack;
            p.budgetMiB = bytes / (1024.0 * 1024.0);
            p.invert = invert;
            return selectProtected(cs, p);
        };
        Selection s = run(150, false); // B 30, D 50, A 150; C would make 200
        QCOMPARE(s.kept, (Names{"A", "B", "D"}));
        QCOMPARE(s.extraBytes, uint64_t(150));
        // At 120 A (50 + 100) no longer fits, but the greedy goes on and C (50 + 50) does.
        s = run(120, false);
        QCOMPARE(s.kept, (Names{"B", "C", "D"}));
        QCOMPARE(s.extraBytes, uint64_t(100));
        QCOMPARE(run(60, false).kept, (Names{"B", "D"}));
        QCOMPARE(run(0, false).kept, Names{});
        // Inverted: lowest density first: C 50, then A (150) and D (70) do not fit in 60, nor B
        // (80).
        QCOMPARE(run(60, true).kept, (Names{"C"}));
        SelectionParams bad;
        bad.method = SelectionMethod::Knapsack;
        bad.budgetMiB = -1;
        QVERIFY_THROWS_EXCEPTION(Error, selectProtected(cs, bad));
    }

    void blocksKeepWholeLayers() {
        auto name = [](int l, const char* m) {
            return "model.layers." + std::to_string(l) + ".mlp." + m + ".weight";
        };
        // Means: layer 0 = 2, layer 1 = 5, layer 2 = 4, layer 3 = 5 (tie with layer 1, seen later).
        const std::vector<Candidate> cs = {
            {name(0, "up_proj"), 1, 0, 0},  {name(0, "down_proj"), 3, 0, 0},
            {name(1, "up_proj"), 10, 0, 0}, {name(1, "down_proj"), 0, 0, 0},
            {name(2, "up_proj"), 4, 0, 0},  {name(2, "down_proj"), 4, 0, 0},
            {name(3, "up_proj"), 5, 0, 0},  {name(3, "down_proj"), 5, 0, 0}};
        auto run = [&](double keep, bool invert) {
            SelectionParams p;
            p.method = SelectionMethod::Blocks;
            p.keepFraction = keep;
            p.invert = invert;
            return selectProtected(cs, p);
        };
        Selection s = run(0.5, false); // 2 of 4 blocks: layer 1, then layer 3
        QCOMPARE(s.keptBlocks, (std::vector<int>{1, 3}));
        QCOMPARE(s.kept, (Names{name(1, "up_proj"), name(1, "down_proj"), name(3, "up_proj"),
                                name(3, "down_proj")}));
        // floor(4 * 0.2) = 0, but at least one block is kept.
        QCOMPARE(run(0.2, false).keptBlocks, (std::vector<int>{1}));
        QCOMPARE(run(0.25, true).keptBlocks, (std::vector<int>{0}));
        // Tensors outside blocks form one more group (-1).
        std::vector<Candidate> withHead = cs;
        withHead.push_back({"lm_head.weight", 100, 0, 0});
        QCOMPARE(selectProtected(withHead,
                                 [] {
                                     SelectionParams p;
                                     p.method = SelectionMethod::Blocks;
                                     p.keepFraction = 0.2;
                                     return p;
                                 }())
                     .kept,
                 (Names{"lm_head.weight"}));
    }

    void invalidInputs() {
        SelectionParams p;
        QVERIFY_THROWS_EXCEPTION(Error, selectProtected({}, p));
        QVERIFY_THROWS_EXCEPTION(Error, selectProtected(cands({1, -2}), p));
        QVERIFY_THROWS_EXCEPTION(Error, selectProtected(cands({1, std::nan("")}), p));
        p.keepFraction = 1.5;
        QVERIFY_THROWS_EXCEPTION(Error, selectProtected(cands({1, 2}), p));
        p = {};
        p.method = SelectionMethod::Gradient;
        p.gradientRatio = 0;
        QVERIFY_THROWS_EXCEPTION(Error, selectProtected(cands({1, 2}), p));
        QVERIFY_THROWS_EXCEPTION(Error, parseSelectionMethod("kmeans"));
        QCOMPARE(parseSelectionMethod("elb"), SelectionMethod::Elbow);
        QCOMPARE(parseSelectionMethod("block_aware"), SelectionMethod::Blocks);
    }

    void phi2PercentileCount() {
        TQ_REQUIRE_FIXTURE("maps/taskquant-phi2/fisher_gsm8k_mean.json");
        const auto map = sensitivity::SensitivityMap::readFile(
            tqtest::fixture("maps/taskquant-phi2/fisher_gsm8k_mean.json"));
        std::vector<Candidate> cs;
        for (const auto& e : map.entries())
            if (e.name.find("_proj.") != std::string::npos ||
                e.name.find(".dense.") != std::string::npos ||
                e.name.find(".fc") != std::string::npos)
                cs.push_back({e.name, e.score, 0, 0});
        QCOMPARE(cs.size(), std::size_t(192)); // 32 layers x (q, k, v, dense, fc1, fc2)
        SelectionParams p;                     // keep the top 20%
        // numpy position of quantile 0.8 among 192: 192*0.8 + 0.2 - 1 = 152.8, so the threshold
        // lies between sorted[152] and sorted[153] (ascending): 192 - 153 = 39 are above it.
        QCOMPARE(selectProtected(cs, p).kept.size(), std::size_t(39));
        p.method = SelectionMethod::Otsu;
        const Selection o = selectProtected(cs, p);
        // Otsu separates the few hot spots: Layer 29 k_proj is among them.
        QVERIFY(std::find(o.kept.begin(), o.kept.end(),
                          "model.layers.29.self_attn.k_proj.weight") != o.kept.end());
        QVERIFY(o.kept.size() < 20);
    }
};

QTEST_APPLESS_MAIN(TstThresholds)
#include "tst_thresholds.moc"
