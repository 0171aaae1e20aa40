// The frontier and validation views and their item models: FrontierPointModel and
// ValidationRowModel under QAbstractItemModelTester with hand-written rows; the frontier plot's
// hit testing on its own pixels (every point found where it is drawn, a KLD of 0 on the axis
// floor, clicks on frontier points emit pointActivated, the current point does not), its
// tooltips (size MiB, bpw, PPL, KLD, top-1; predicted vs measured); the validation scatter's
// title with Spearman; and the Fisher-vs-magnitude scatter's confidence: bootstrap intervals
// as tooltips and optional error bars, and the rank-stability badge on unstable top tensors.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest/QtTest>
#include <qcustomplot.h>

#include "views/frontier_models.h"
#include "views/frontier_view.h"
#include "views/scatter_view.h"
#include "views/validation_view.h"

using namespace taskquant;
using namespace taskquant::views;

namespace {
FrontierPointData point(const char* label, const char* kind, const char* signal, double bpw,
                        quint64 bytes, double kld, double ppl = 10, double top1 = 0.9) {
    FrontierPointData p;
    p.label = QString::fromLatin1(label);
    p.kind = QString::fromLatin1(kind);
    p.signal = QString::fromLatin1(signal);
    p.bitsPerWeight = bpw;
    p.bytes = bytes;
    p.kld = kld;
    p.kldP99 = 4 * kld;
    p.ppl = ppl;
    p.sameTop1 = top1;
    return p;
}

std::vector<FrontierPointData> samplePoints() {
    return {point("q8_0", "uniform", "none", 8.5, 12345678, 0.0012, 7.25, 0.987),
            point("q4_0", "uniform", "none", 4.5, 6543210, 0.045, 7.9, 0.9),
            point("Q4_K_M", "recipe", "none", 4.9, 7000000, 0.02, 7.6, 0.93),
            point("optimal fisher @5", "optimal", "fisher", 5.0, 7100000, 0.01, 7.4, 0.95),
            point("optimal none @5", "optimal", "none", 5.0, 7100000, 0.015, 7.5, 0.94),
            point("f16", "uniform", "none", 16.0, 23000000, 0.0, 7.2, 1.0)};
}

std::shared_ptr<const sensitivity::SensitivityMap>
mapOf(const char* method, const std::vector<double>& scores, bool withUncertainty) {
    std::vector<sensitivity::MapEntry> e;
    for (std::size_t i = 0; i < scores.size(); ++i)
        e.push_back({"model.layers." + std::to_string(i) + ".mlp.down_proj.weight", scores[i], 64,
                     std::nullopt});
    sensitivity::Provenance p;
    p.method = method;
    sensitivity::SensitivityMap m(e, p);
    if (withUncertainty) {
        sensitivity::ScoreUncertainty u;
        u.resamples = 100;
        u.samples = 16;
        u.topK = 2;
        for (double s : scores) {
            u.lower.push_back(0.5 * s);
            u.upper.push_back(1.5 * s);
        }
        u.topStability = {{e[3].name, 0.62}, {e[2].name, 0.97}};
        m = m.withUncertainty(u);
    }
    return std::make_shared<const sensitivity::SensitivityMap>(m);
}
} // namespace

class TstFrontierViews : public QObject {
    Q_OBJECT
  private slots:
    void frontierModelUnderTester() {
        FrontierPointModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        auto pts = samplePoints();
        FrontierPointData current =
            point("current policy", "current", "none", 6.25, 9000000, 0.004);
        current.measured = false;
        pts.push_back(current);
        model.setPoints(pts);
        QCOMPARE(model.rowCount(), 7);
        QCOMPARE(model.columnCount(), int(FrontierPointModel::ColumnCount));
        auto cell = [&](int r, int c) { return model.index(r, c).data().toString(); };
        QCOMPARE(cell(0, FrontierPointModel::Label), QStringLiteral("q8_0"));
        QCOMPARE(cell(0, FrontierPointModel::Family), QStringLiteral("uniform types"));
        QCOMPARE(cell(0, FrontierPointModel::SizeMB),
                 QStringLiteral("11.774")); // 12345678 B = 11.774 MiB
        QCOMPARE(cell(0, FrontierPointModel::Bpw), QStringLiteral("8.500"));
        QCOMPARE(cell(0, FrontierPointModel::Kld), QStringLiteral("0.0012"));
        QCOMPARE(cell(0, FrontierPointModel::Top1), QStringLiteral("98.7 %"));
        QCOMPARE(cell(2, FrontierPointModel::Family), QStringLiteral("llama.cpp mixes"));
        QCOMPARE(cell(3, FrontierPointModel::Family), QStringLiteral("Fisher-optimal"));
        QCOMPARE(cell(4, FrontierPointModel::Family), QStringLiteral("error-only"));
        QCOMPARE(cell(0, FrontierPointModel::Source), QStringLiteral("measured"));
        // The predicted current policy has no PPL or top-1 to show.
        QCOMPARE(cell(6, FrontierPointModel::Source), QStringLiteral("predicted"));
        QCOMPARE(cell(6, FrontierPointModel::Ppl), QStringLiteral("—"));
        QCOMPARE(
            model.index(1, FrontierPointModel::SizeMB).data(TableModelBase::SortRole).toDouble(),
            6543210.0);
        const QString tip = model.index(0, 0).data(Qt::ToolTipRole).toString();
        for (const char* s : {"11.774 MiB", "8.500 bits per weight", "PPL: 7.25", "KLD: 0.0012",
                              "top-1: 98.7 %", "measured"})
            QVERIFY2(tip.contains(QLatin1String(s)), qPrintable(tip));
        QVERIFY(model.index(6, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("predicted")));
        model.setPoints({});
        QCOMPARE(model.rowCount(), 0);
    }

    void validationModelUnderTester() {
        ValidationRowModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(
            {{QStringLiteral("a.weight"), QStringLiteral("q4_0"), 1, 0.5, 0.25, 0.01, -0.1},
             {QStringLiteral("b.weight"), QStringLiteral("q4_0"), 2, 0.1, 0.0, 0, 0}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, ValidationRowModel::Predicted).data().toString(),
                 QStringLiteral("0.5"));
        QCOMPARE(
            model.index(0, ValidationRowModel::Measured).data(TableModelBase::SortRole).toDouble(),
            0.25);
        QCOMPARE(model.index(1, ValidationRowModel::Name).data(TableModelBase::NameRole).toString(),
                 QStringLiteral("b.weight"));
    }

    void frontierPlotHitTestingAndClicks() {
        FrontierView view;
        view.resize(900, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &FrontierView::pointActivated);
        view.setPoints(samplePoints(), QStringLiteral("test frontier"));
        FrontierPointData current =
            point("current policy", "current", "none", 6.25, 9000000, 0.004);
        current.measured = false;
        view.setCurrentPoint(current);
        view.plot()->replot();
        // Lines: uniform types, mixes, Fisher-optimal, error-only; plus the current point.
        QCOMPARE(view.plot()->graphCount(), 5);
        QVERIFY(view.statusText().contains(QStringLiteral("predicted")));
        const int n = int(view.points().size());
        // The points at 5.0 bpw (Fisher and error-only) are apart in KLD; f16's KLD 0 is on
        // the floor of the axis.
        for (int i = 0; i <= n; ++i) {
            const QPointF p = view.pointPixel(i);
            QVERIFY(p.x() > 0);
            QCOMPARE(view.pointAt(p), i);
        }
        const QPointF f16 = view.pointPixel(5);
        QCOMPARE(f16.y(), view.plot()->yAxis->coordToPixel(view.plot()->yAxis->range().lower));
        QCOMPARE(view.pointAt(QPointF(5, 5)), -1);
        const QString tip = view.toolTipAt(view.pointPixel(2) + QPointF(3, -2));
        QVERIFY2(tip.contains(QStringLiteral("Q4_K_M")) &&
                     tip.contains(QStringLiteral("6.676 MiB")) &&
                     tip.contains(QStringLiteral("PPL: 7.6")) &&
                     tip.contains(QStringLiteral("KLD: 0.02")) &&
                     tip.contains(QStringLiteral("top-1: 93.0 %")),
                 qPrintable(tip));
        QVERIFY(view.toolTipAt(view.pointPixel(n)).contains(QStringLiteral("predicted")));

        QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::NoModifier,
                          view.pointPixel(3).toPoint());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.takeFirst().at(0).toInt(), 3);
        QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::NoModifier,
                          view.pointPixel(n).toPoint());
        QCOMPARE(activated.count(), 0); // the current point is no policy to load
        QTest::mouseClick(view.plot(), Qt::LeftButton, Qt::NoModifier, QPoint(3, 3));
        QCOMPARE(activated.count(), 0);
        // Measured current point: the status says so.
        current.measured = true;
        view.setCurrentPoint(current);
        QVERIFY(view.statusText().contains(QStringLiteral("measured")));
    }

    void validationScatter() {
        ValidationView view;
        view.resize(800, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        ValidationSummary s;
        s.precision = QStringLiteral("q4_0");
        s.spearman = 0.8;
        s.scale = 2;
        view.setResult(s, {{QStringLiteral("a"), QStringLiteral("q4_0"), 1, 1e-3, 2e-3, 0, 0},
                           {QStringLiteral("b"), QStringLiteral("q4_0"), 1, 1e-2, 3e-2, 0, 0},
                           {QStringLiteral("c"), QStringLiteral("q4_0"), 1, 0, 1e-2, 0, 0}});
        QVERIFY2(view.titleText().contains(QStringLiteral("Spearman \u03c1 = 0.800")),
                 qPrintable(view.titleText()));
        QCOMPARE(view.drawnPoints(), 2); // c has no place on the log axis
        // the y = x line (a prediction in KL units that is right lies on it) spans both points
        bool diagonal = false;
        for (int g = 0; g < view.plot()->graphCount(); ++g) {
            QCPGraph* graph = view.plot()->graph(g);
            if (!graph->name().contains(QStringLiteral("y = x")))
                continue;
            diagonal = true;
            QCOMPARE(graph->data()->size(), 2);
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
                QCOMPARE(it->key, it->value);
            QVERIFY(graph->data()->constBegin()->key <= 1e-3);
            QVERIFY((graph->data()->constEnd() - 1)->key >= 3e-2);
        }
        QVERIFY(diagonal);
        view.plot()->replot();
        QVERIFY(view.toolTipAt(view.pointPixel(1)).contains(QStringLiteral("<b>b</b>")));
        QCOMPARE(view.pointPixel(2), QPointF(-1, -1));
    }

    void scatterConfidence() {
        ScatterView scatter;
        scatter.resize(800, 600);
        scatter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scatter));
        scatter.setMaps(mapOf("fisher", {1, 2, 4, 8}, true),
                        mapOf("magnitude_l2", {3, 1, 2, 5}, false));
        scatter.plot()->replot();
        QCOMPARE(scatter.errorBarCount(), 0); // off by default
        scatter.setShowErrorBars(true);
        QCOMPARE(scatter.errorBarCount(), 4);
        // Only layer 3 (P = 0.62 < 0.9) is badged; layer 2 (0.97) is stable.
        QCOMPARE(scatter.unstableTensors(),
                 QStringList{QStringLiteral("model.layers.3.mlp.down_proj.weight")});
        scatter.plot()->replot();
        const QString tip = scatter.toolTipAt(
            scatter.pointPixel(QStringLiteral("model.layers.3.mlp.down_proj.weight")));
        QVERIFY2(tip.contains(QStringLiteral("95 % interval [4, 12]")) &&
                     tip.contains(QStringLiteral("rank not stable")) &&
                     tip.contains(QStringLiteral("0.62")),
                 qPrintable(tip));
        // A map without intervals: no bars, no badges, the box is disabled.
        scatter.setMaps(mapOf("fisher", {1, 2, 4, 8}, false),
                        mapOf("magnitude_l2", {3, 1, 2, 5}, false));
        QCOMPARE(scatter.errorBarCount(), 0);
        QVERIFY(scatter.unstableTensors().isEmpty());
        QVERIFY(!scatter
                     .toolTipAt(
                         scatter.pointPixel(QStringLiteral("model.layers.0.mlp.down_proj.weight")))
                     .contains(QStringLiteral("interval")));
    }
};

QTEST_MAIN(TstFrontierViews)
#include "tst_frontier_views.moc"
