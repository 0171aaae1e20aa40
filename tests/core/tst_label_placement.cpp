// Label placement (core/util/label_placement.h) and the frontier SVG that uses it: hand-worked
// cases (two labels on one point, a point at the right edge), and the demo model's frontier as
// the README shows it (docs/frontier_demo.svg before this change: 44 points, 28 labels, many
// stacked on each other): every label placed, no two labels overlapping, no label over a point,
// all inside the plot; one line per map in the SVG.
#include <QtTest/QtTest>
#include <cmath>
#include <regex>
#include <set>

#include "core/eval/frontier_plot.h"
#include "core/util/label_placement.h"

using namespace taskquant;

namespace {

// The demo frontier (label, kind, signal, bits per weight, task KLD), read off the README's
// figure of `taskquant demo`.
const std::vector<eval::PlotPoint> kDemo = {
    {"Q4_0", "recipe", "none", 4.694, 0.02745},
    {"Q4_1", "recipe", "none", 5.152, 0.02107},
    {"Q5_0", "recipe", "none", 5.610, 0.007127},
    {"Q5_1", "recipe", "none", 6.068, 0.004731},
    {"IQ4_NL", "recipe", "none", 4.694, 0.02367},
    {"IQ4_XS", "recipe", "none", 4.465, 0.02628},
    {"Q2_K", "recipe", "none", 3.203, 0.3386},
    {"Q3_K_S", "recipe", "none", 3.677, 0.1002},
    {"Q3_K_M", "recipe", "none", 4.114, 0.07066},
    {"Q3_K_L", "recipe", "none", 4.364, 0.07123},
    {"Q4_K_S", "recipe", "none", 4.734, 0.01679},
    {"Q4_K_M", "recipe", "none", 4.908, 0.01692},
    {"Q5_K_S", "recipe", "none", 5.610, 0.004317},
    {"Q5_K_M", "recipe", "none", 5.743, 0.004217},
    {"Q6_K", "recipe", "none", 6.583, 0.001108},
    {"Q8_0", "recipe", "none", 8.519, 0.0001234},
    {"optimal fisher (arithmetic) @4", "optimal", "fisher", 3.999, 0.02165},
    {"optimal fisher (stories) @4", "optimal", "fisher", 3.999, 0.04513},
    {"optimal fisher (arithmetic) @4.5", "optimal", "fisher", 4.494, 0.01271},
    {"optimal fisher (stories) @4.5", "optimal", "fisher", 4.499, 0.01413},
    {"optimal fisher (arithmetic) @5", "optimal", "fisher", 4.993, 0.009963},
    {"optimal fisher (stories) @5", "optimal", "fisher", 4.993, 0.01213},
    {"optimal fisher (arithmetic) @6", "optimal", "fisher", 5.985, 0.006887},
    {"optimal fisher (stories) @6", "optimal", "fisher", 5.985, 0.007593},
    {"optimal magnitude_l2 (magnitude) @4", "optimal", "magnitude_l2", 3.999, 0.05956},
    {"optimal magnitude_l2 (magnitude) @4.5", "optimal", "magnitude_l2", 4.496, 0.01946},
    {"optimal magnitude_l2 (magnitude) @5", "optimal", "magnitude_l2", 4.991, 0.01331},
    {"optimal magnitude_l2 (magnitude) @6", "optimal", "magnitude_l2", 5.995, 0.008211},
    {"optimal none @4", "optimal", "none", 3.999, 0.03744},
    {"optimal none @4.5", "optimal", "none", 4.494, 0.01495},
    {"optimal none @5", "optimal", "none", 4.993, 0.01258},
    {"optimal none @6", "optimal", "none", 5.956, 0.007547},
    {"q2_k", "uniform", "none", 3.120, 0.1302},
    {"q3_k", "uniform", "none", 3.796, 0.04646},
    {"iq4_xs", "uniform", "none", 4.473, 0.01462},
    {"q4_0", "uniform", "none", 4.681, 0.01829},
    {"q4_k", "uniform", "none", 4.681, 0.01309},
    {"iq4_nl", "uniform", "none", 4.681, 0.01431},
    {"q4_1", "uniform", "none", 5.097, 0.01476},
    {"q5_0", "uniform", "none", 5.514, 0.008682},
    {"q5_k", "uniform", "none", 5.514, 0.008254},
    {"q5_1", "uniform", "none", 5.930, 0.007714},
    {"q6_k", "uniform", "none", 6.398, 0.006752},
    {"q8_0", "uniform", "none", 8.012, 0.006553},
};

void checkNoOverlap(const std::vector<LabelRequest>& labels,
                    const std::vector<LabelPlacement>& placed, const LabelRect& bounds,
                    const std::vector<std::pair<double, double>>& points, double r) {
    for (std::size_t i = 0; i < placed.size(); ++i) {
        if (!placed[i].placed)
            continue;
        const LabelRect& a = placed[i].box;
        QVERIFY(a.inside(bounds));
        QCOMPARE(a.w, labels[i].w);
        QCOMPARE(a.h, labels[i].h);
        for (std::size_t j = i + 1; j < placed.size(); ++j)
            if (placed[j].placed)
                QVERIFY2(!a.overlaps(placed[j].box),
                         qPrintable(QStringLiteral("%1 / %2").arg(i).arg(j)));
        for (const auto& [x, y] : points)
            QVERIFY(!a.overlaps({x - r, y - r, 2 * r, 2 * r}));
    }
}

} // namespace

class TstLabelPlacement : public QObject {
    Q_OBJECT
  private slots:
    void twoLabelsOnOnePoint() {
        const std::vector<LabelRequest> l{{100, 100, 40, 12}, {100, 100, 40, 12}};
        const LabelRect bounds{0, 0, 400, 300};
        LabelPlacementOptions o;
        o.markerRadius = 4;
        o.gap = 2;
        const auto p = placeLabels(l, bounds, {}, o);
        QVERIFY(p[0].placed && p[1].placed);
        // the first takes the preferred place: right of the point, centred, 4 + 2 px away
        QCOMPARE(p[0].box.x, 106.0);
        QCOMPARE(p[0].box.y, 94.0);
        QVERIFY(!p[0].leader);
        QVERIFY(!p[0].box.overlaps(p[1].box));
        checkNoOverlap(l, p, bounds, {{100, 100}}, 4);
    }

    void aPointAtTheRightEdgeIsLabelledOnTheLeft() {
        const std::vector<LabelRequest> l{{390, 150, 40, 12}};
        const auto p = placeLabels(l, {0, 0, 400, 300});
        QVERIFY(p[0].placed);
        QVERIFY(p[0].box.x + p[0].box.w < 390);        // left of the point
        QVERIFY(!p[0].box.overlaps({386, 146, 8, 8})); // and off its marker
    }

    void noRoomLeavesTheLabelOut() {
        const std::vector<LabelRequest> l{{10, 10, 500, 12}};
        const auto p = placeLabels(l, {0, 0, 100, 100});
        QVERIFY(!p[0].placed);
    }

    void demoFrontierLabelsDoNotOverlap() {
        // The SVG's plot area and mapping (800 x 520: left 80, right 250, top 40, bottom 60),
        // computed here independently: x linear in bits per weight, y log10 of KLD.
        const double left = 80, top = 40, pw = 800 - 80 - 250, ph = 520 - 40 - 60;
        double xmin = 1e9, xmax = -1e9, ymin = 1e9, ymax = -1e9;
        for (const auto& p : kDemo) {
            xmin = std::min(xmin, p.bitsPerWeight), xmax = std::max(xmax, p.bitsPerWeight);
            ymin = std::min(ymin, p.kld), ymax = std::max(ymax, p.kld);
        }
        const double l0 = std::floor(std::log10(ymin)), l1 = std::ceil(std::log10(ymax));
        std::vector<LabelRequest> labels;
        std::vector<std::pair<double, double>> all, others;
        for (const auto& p : kDemo) {
            const double x = left + (p.bitsPerWeight - xmin) / (xmax - xmin) * pw;
            const double y = top + (l1 - std::log10(p.kld)) / (l1 - l0) * ph;
            all.emplace_back(x, y);
            if (p.kind == "optimal")
                others.emplace_back(x, y);
            else
                labels.push_back({x, y, 6.5 * double(p.label.size()) + 2, 12});
        }
        const LabelRect bounds{left, top, pw, ph};
        const auto placed = placeLabels(labels, bounds, others);
        QCOMPARE(labels.size(), std::size_t(28));
        int n = 0;
        for (const auto& p : placed)
            n += p.placed;
        QCOMPARE(n, 28); // every label found a place
        checkNoOverlap(labels, placed, bounds, all, 4);
    }

    void demoFrontierSvg() {
        eval::SvgLabelStats stats;
        const std::string svg =
            eval::frontierSvg(kDemo, "demo", 800, 520, "embedding q4_k, head q6_k", &stats);
        QCOMPARE(stats.labels, 28);
        QCOMPARE(stats.placed, 28);
        // one line per family and map: uniform, fisher (arithmetic), fisher (stories),
        // magnitude, errors only
        const std::regex polyline("<polyline");
        QCOMPARE(std::distance(std::sregex_iterator(svg.begin(), svg.end(), polyline),
                               std::sregex_iterator()),
                 std::ptrdiff_t(5));
        for (const char* legend : {"optimal fisher (arithmetic)", "optimal fisher (stories)",
                                   "uniform types (embedding q4_k, head q6_k)"})
            QVERIFY2(svg.find(std::string(">") + legend + "<") != std::string::npos, legend);
        // every label text once
        for (const auto& p : kDemo)
            if (p.kind != "optimal")
                QVERIFY2(svg.find("class=\"label\"") != std::string::npos &&
                             svg.find(">" + p.label + "</text>") != std::string::npos,
                         p.label.c_str());
        QCOMPARE(eval::plotFamily(kDemo[16]), std::string("optimal fisher (arithmetic)"));
        QCOMPARE(eval::plotFamily(kDemo[17]), std::string("optimal fisher (stories)"));
        QCOMPARE(eval::plotFamily(kDemo[0]), std::string());
    }
};

QTEST_APPLESS_MAIN(TstLabelPlacement)
#include "tst_label_placement.moc"
