// View maths: colour scales, cell <-> pixel mapping, selection rectangles. Expected values are
// worked out by hand in the data rows (not produced by the code under test).
#include <QtTest/QtTest>
#include <cmath>

#include "core/policy/heatmap_grid.h"
#include "views/color_scale.h"
#include "views/grid_geometry.h"
#include "views/grid_selection.h"
#include "views/kind_palette.h"

using namespace taskquant::views;
using taskquant::policy::buildHeatmapGrid;

Q_DECLARE_METATYPE(taskquant::views::CellRange)

namespace {
const double kNoPosition = -1;
double positionOr(const ColorScale& s, double v) {
    const auto t = s.position(v);
    return t ? *t : kNoPosition;
}
std::set<std::size_t> indexSet(const QList<int>& v) {
    std::set<std::size_t> out;
    for (int i : v)
        out.insert(std::size_t(i));
    return out;
}
} // namespace

class TstViewMath : public QObject {
    Q_OBJECT
  private slots:
    // Every module kind its own colour (the scatter's legend), except the two names of the same
    // module (fc1 = up, fc2 = down) in different architectures.
    void kindColoursAreDistinct() {
        using taskquant::models::Kind;
        const std::vector<Kind> kinds{
            Kind::Q,      Kind::K,     Kind::V,         Kind::Qkv,       Kind::O,
            Kind::Gate,   Kind::Up,    Kind::Down,      Kind::InputNorm, Kind::PostAttnNorm,
            Kind::QNorm,  Kind::KNorm, Kind::FinalNorm, Kind::Embed,     Kind::PosEmbed,
            Kind::LmHead, Kind::Other};
        QSet<QRgb> seen;
        for (Kind k : kinds)
            seen.insert(taskquant::views::kindColor(k).rgb());
        QCOMPARE(seen.size(), int(kinds.size()));
        QCOMPARE(taskquant::views::kindColor(Kind::Fc1), taskquant::views::kindColor(Kind::Up));
        QCOMPARE(taskquant::views::kindColor(Kind::Fc2), taskquant::views::kindColor(Kind::Down));
    }

    void logPosition_data() {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("expected");
        QTest::newRow("bottom") << 0.01 << 100.0 << 0.01 << 0.0;
        QTest::newRow("middle decade") << 0.01 << 100.0 << 1.0 << 0.5;
        QTest::newRow("three quarters") << 0.01 << 100.0 << 10.0 << 0.75;
        QTest::newRow("top") << 0.01 << 100.0 << 100.0 << 1.0;
        QTest::newRow("above clamps") << 0.01 << 100.0 << 1000.0 << 1.0;
        QTest::newRow("below clamps") << 0.01 << 100.0 << 0.001 << 0.0;
        QTest::newRow("zero has none") << 0.01 << 100.0 << 0.0 << kNoPosition;
        QTest::newRow("negative has none") << 0.01 << 100.0 << -1.0 << kNoPosition;
        QTest::newRow("nan has none") << 0.01 << 100.0 << std::nan("") << kNoPosition;
        QTest::newRow("inf has none") << 0.01 << 100.0 << HUGE_VAL << kNoPosition;
        QTest::newRow("sqrt10 of 1..10") << 1.0 << 10.0 << std::sqrt(10.0) << 0.5;
        QTest::newRow("swapped ends") << 100.0 << 0.01 << 1.0 << 0.5;
    }
    void logPosition() {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(double, value);
        QFETCH(double, expected);
        const ColorScale s = ColorScale::logRange(lo, hi);
        QVERIFY2(std::abs(positionOr(s, value) - expected) < 1e-12,
                 qPrintable(QString::number(positionOr(s, value))));
    }

    void logFromValues() {
        const ColorScale s = ColorScale::log({0.0, 5.0, 0.5, std::nan(""), 50.0, -3.0});
        QCOMPARE(s.minValue(), 0.5);
        QCOMPARE(s.maxValue(), 50.0);
        QCOMPARE(*s.position(5.0), 0.5);
        // Nothing usable: a default decade, no crash.
        const ColorScale e = ColorScale::log({0.0, -1.0});
        QCOMPARE(e.minValue(), 1.0);
        QCOMPARE(e.maxValue(), 10.0);
        // One value: it sits at the top of a decade below it.
        const ColorScale one = ColorScale::log({4.0});
        QCOMPARE(one.maxValue(), 4.0);
        QCOMPARE(one.minValue(), 0.4);
        QCOMPARE(*one.position(4.0), 1.0);
    }

    void normaliseToMax_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("display");
        QTest::addColumn<double>("position");
        // Range 2..200: the max reads as 1, a tenth of it as 0.1; positions do not change.
        QTest::newRow("max") << 200.0 << 1.0 << 1.0;
        QTest::newRow("tenth") << 20.0 << 0.1 << 0.5;
        QTest::newRow("min") << 2.0 << 0.01 << 0.0;
    }
    void normaliseToMax() {
        QFETCH(double, value);
        QFETCH(double, display);
        QFETCH(double, position);
        const ColorScale n = ColorScale::logRange(2, 200, true);
        const ColorScale raw = ColorScale::logRange(2, 200, false);
        QVERIFY(std::abs(n.displayValue(value) - display) < 1e-12);
        QCOMPARE(raw.displayValue(value), value);
        QVERIFY(std::abs(*n.position(value) - position) < 1e-12);
        QCOMPARE(*n.position(value), *raw.position(value));
    }

    void inverse() {
        const ColorScale s = ColorScale::logRange(0.01, 100);
        QVERIFY(std::abs(s.valueAt(0.5) - 1.0) < 1e-12);
        QVERIFY(std::abs(s.valueAt(0.25) - 0.1) < 1e-12);
        const ColorScale d = ColorScale::divergingLimit(4);
        QCOMPARE(d.valueAt(0.75), 2.0);
    }

    void ticks_data() {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("decades inside") << 0.02 << 70.0 << QList<double>{0.02, 0.1, 1, 10, 70};
        QTest::newRow("ends on decades") << 0.1 << 100.0 << QList<double>{0.1, 1, 10, 100};
        QTest::newRow("no decade inside") << 2.0 << 9.0 << QList<double>{2, 9};
    }
    void ticks() {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(QList<double>, expected);
        const auto t = ColorScale::logRange(lo, hi).ticks();
        QCOMPARE(int(t.size()), int(expected.size()));
        for (int i = 0; i < expected.size(); ++i)
            QVERIFY2(std::abs(t[i] - expected[i]) < 1e-9 * expected[i],
                     qPrintable(QString::number(t[i])));
    }

    void diverging_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("expected");
        // Values {-3, 1, 2}: limit 3, so [-3, 3] maps to [0, 1].
        QTest::newRow("zero centre") << 0.0 << 0.5;
        QTest::newRow("most negative") << -3.0 << 0.0;
        QTest::newRow("half positive") << 1.5 << 0.75;
        QTest::newRow("clamps") << 6.0 << 1.0;
        QTest::newRow("nan none") << std::nan("") << kNoPosition;
    }
    void diverging() {
        QFETCH(double, value);
        QFETCH(double, expected);
        const ColorScale s = ColorScale::diverging({-3.0, 1.0, 2.0});
        QCOMPARE(positionOr(s, value), expected);
    }

    void colorMaps_data() {
        QTest::addColumn<bool>("sequential");
        QTest::addColumn<double>("t");
        QTest::addColumn<QColor>("expected");
        // Stops of the tables (inferno, reversed RdBu); between stops: linear, rounded.
        QTest::newRow("inferno 0") << true << 0.0 << QColor(0, 0, 4);
        QTest::newRow("inferno 1") << true << 1.0 << QColor(252, 255, 164);
        QTest::newRow("inferno mid first segment") << true << 0.0625 << QColor(16, 6, 38);
        QTest::newRow("inferno clamps") << true << 2.0 << QColor(252, 255, 164);
        QTest::newRow("diverging centre white") << false << 0.5 << QColor(247, 247, 247);
        QTest::newRow("diverging negative blue") << false << 0.0 << QColor(33, 102, 172);
        QTest::newRow("diverging positive red") << false << 1.0 << QColor(178, 24, 43);
    }
    void colorMaps() {
        QFETCH(bool, sequential);
        QFETCH(double, t);
        QFETCH(QColor, expected);
        QCOMPARE(sampleColorMap(sequential ? ColorMapKind::Sequential : ColorMapKind::Diverging, t),
                 expected);
    }

    void noDataColour() {
        const ColorScale s = ColorScale::logRange(1, 10);
        QCOMPARE(s.color(0.0), ColorScale::noDataColor());
        QCOMPARE(s.color(10.0), QColor(252, 255, 164));
    }

    void cellRect_data() {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("span");
        QTest::addColumn<QRectF>("expected");
        // 3 x 4 grid, cells 10 wide and 20 high, cell (0,0) at (5, 7).
        QTest::newRow("origin") << 0 << 0 << 1 << QRectF(5, 7, 10, 20);
        QTest::newRow("row 1 col 2") << 1 << 2 << 1 << QRectF(25, 27, 10, 20);
        QTest::newRow("spanning row") << 2 << 0 << 4 << QRectF(5, 47, 40, 20);
    }
    void cellRect() {
        QFETCH(int, row);
        QFETCH(int, column);
        QFETCH(int, span);
        QFETCH(QRectF, expected);
        const GridGeometry g(3, 4, QSizeF(10, 20), QPointF(5, 7));
        QCOMPARE(g.cellRect(row, column, span), expected);
        QCOMPARE(g.contentSize(), QSizeF(40, 60));
    }

    void cellAt_data() {
        QTest::addColumn<QPointF>("pixel");
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        QTest::newRow("top-left corner") << QPointF(5, 7) << 0 << 0;
        QTest::newRow("inside first cell") << QPointF(14.99, 26.99) << 0 << 0;
        QTest::newRow("left edge of col 1") << QPointF(15, 7) << 0 << 1;
        QTest::newRow("last cell") << QPointF(44.9, 66.9) << 2 << 3;
        QTest::newRow("left of grid") << QPointF(4.9, 7) << -1 << -1;
        QTest::newRow("right edge outside") << QPointF(45, 7) << -1 << -1;
        QTest::newRow("below grid") << QPointF(10, 67) << -1 << -1;
        QTest::newRow("above grid") << QPointF(10, 6.5) << -1 << -1;
    }
    void cellAt() {
        QFETCH(QPointF, pixel);
        QFETCH(int, row);
        QFETCH(int, column);
        const GridGeometry g(3, 4, QSizeF(10, 20), QPointF(5, 7));
        const CellPos p = g.cellAt(pixel);
        QCOMPARE(p.row, row);
        QCOMPARE(p.column, column);
        if (p.valid()) // round trip: the pixel lies in the rectangle of the cell it maps to
            QVERIFY(g.cellRect(p.row, p.column).contains(pixel));
    }

    void clampedCellAt() {
        const GridGeometry g(3, 4, QSizeF(10, 20), QPointF(5, 7));
        QCOMPARE(g.clampedCellAt(QPointF(-100, -100)), (CellPos{0, 0}));
        QCOMPARE(g.clampedCellAt(QPointF(1000, 1000)), (CellPos{2, 3}));
        QCOMPARE(g.clampedCellAt(QPointF(30, 1000)), (CellPos{2, 2}));
        QVERIFY(!GridGeometry(0, 4, QSizeF(10, 10), QPointF()).clampedCellAt(QPointF()).valid());
    }

    void cellsIn_data() {
        QTest::addColumn<QRectF>("pixels");
        QTest::addColumn<CellRange>("expected");
        QTest::newRow("two cells, edge not included")
            << QRectF(5, 7, 20, 20) << CellRange{0, 0, 0, 1};
        QTest::newRow("one cell inside") << QRectF(12, 30, 1, 1) << CellRange{1, 0, 1, 0};
        QTest::newRow("reversed drag") << QRectF(44, 66, -30, -30) << CellRange{1, 0, 2, 3};
        QTest::newRow("clipped") << QRectF(-100, -100, 1000, 1000) << CellRange{0, 0, 2, 3};
        QTest::newRow("outside") << QRectF(100, 100, 5, 5) << CellRange{};
        QTest::newRow("degenerate") << QRectF(10, 10, 0, 5) << CellRange{};
    }
    void cellsIn() {
        QFETCH(QRectF, pixels);
        QFETCH(CellRange, expected);
        const GridGeometry g(3, 4, QSizeF(10, 20), QPointF(5, 7));
        const CellRange got = g.cellsIn(pixels);
        QVERIFY2(got == expected, qPrintable(QStringLiteral("%1 %2 %3 %4")
                                                 .arg(got.top)
                                                 .arg(got.left)
                                                 .arg(got.bottom)
                                                 .arg(got.right)));
    }

    void zoom_data() {
        QTest::addColumn<double>("factor");
        QTest::addColumn<QPointF>("anchor");
        QTest::addColumn<QSizeF>("cell");
        QTest::addColumn<QPointF>("origin");
        // Cells 10x10 at (0,0): anchor (25,25) is grid point (2.5, 2.5).
        QTest::newRow("double") << 2.0 << QPointF(25, 25) << QSizeF(20, 20) << QPointF(-25, -25);
        QTest::newRow("half") << 0.5 << QPointF(25, 25) << QSizeF(5, 5) << QPointF(12.5, 12.5);
        QTest::newRow("clamped at max")
            << 10.0 << QPointF(25, 25) << QSizeF(40, 40) << QPointF(-75, -75);
        QTest::newRow("clamped at min") << 0.01 << QPointF(0, 0) << QSizeF(4, 4) << QPointF(0, 0);
    }
    void zoom() {
        QFETCH(double, factor);
        QFETCH(QPointF, anchor);
        QFETCH(QSizeF, cell);
        QFETCH(QPointF, origin);
        const GridGeometry g(30, 8, QSizeF(10, 10), QPointF(0, 0));
        const GridGeometry z = g.zoomedAbout(factor, anchor, 4, 40);
        QCOMPARE(z.cellSize(), cell);
        QCOMPARE(z.origin(), origin);
        QCOMPARE(z.rows(), 30);
    }

    void cellRange() {
        const CellRange r = CellRange::between({3, 1}, {1, 2});
        QCOMPARE(r, (CellRange{1, 1, 3, 2}));
        QCOMPARE(r.cellCount(), 6);
        QVERIFY(r.contains(2, 2));
        QVERIFY(!r.contains(0, 1));
        QVERIFY(r.intersects(2, 0, 4));  // a spanning row across the range
        QVERIFY(!r.intersects(2, 3, 1)); // right of it
        QVERIFY(!r.intersects(4, 0, 4)); // below it
        QVERIFY(CellRange::between({-1, -1}, {1, 1}).isEmpty());
    }

    void gridSelection_data() {
        QTest::addColumn<CellRange>("range");
        QTest::addColumn<QList<int>>("tensors");
        // Names (index): 0 embed, 1 L0.q, 2 L0.k, 3 L0.fc1, 4 L1.q, 5 L1.k, 6 L1.fc1,
        // 7 final norm, 8 lm_head. Rows: 0 embeddings, 1 layer 0, 2 layer 1, 3 final norm,
        // 4 lm_head. Columns (phi order): 0 q, 1 k, 2 fc1.
        QTest::newRow("q column of both layers") << CellRange{1, 0, 2, 0} << QList<int>{1, 4};
        QTest::newRow("spanning row hit from the side") << CellRange{0, 2, 0, 2} << QList<int>{0};
        QTest::newRow("everything")
            << CellRange{0, 0, 4, 2} << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8};
        QTest::newRow("layer 1 k..fc1 and final norm")
            << CellRange{2, 1, 3, 2} << QList<int>{5, 6, 7};
        QTest::newRow("empty") << CellRange{} << QList<int>{};
    }
    void gridSelection() {
        QFETCH(CellRange, range);
        QFETCH(QList<int>, tensors);
        const std::vector<std::string> names = {"model.embed_tokens.weight",
                                                "model.layers.0.self_attn.q_proj.weight",
                                                "model.layers.0.self_attn.k_proj.weight",
                                                "model.layers.0.mlp.fc1.weight",
                                                "model.layers.1.self_attn.q_proj.weight",
                                                "model.layers.1.self_attn.k_proj.weight",
                                                "model.layers.1.mlp.fc1.weight",
                                                "model.final_layernorm.weight",
                                                "lm_head.weight"};
        const auto grid = buildHeatmapGrid(names);
        QCOMPARE(int(grid.rows.size()), 5);
        QCOMPARE(int(grid.columns.size()), 3);
        QCOMPARE(tensorsInRange(grid, range), indexSet(tensors));
    }

    void combine_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QList<int>>("expected");
        // previous {1,2,3}, hit {3,4}
        QTest::newRow("replace") << int(SelectionMode::Replace) << QList<int>{3, 4};
        QTest::newRow("extend") << int(SelectionMode::Extend) << QList<int>{1, 2, 3, 4};
        QTest::newRow("toggle") << int(SelectionMode::Toggle) << QList<int>{1, 2, 4};
    }
    void combine() {
        QFETCH(int, mode);
        QFETCH(QList<int>, expected);
        QCOMPARE(combineSelection(indexSet({1, 2, 3}), indexSet({3, 4}), SelectionMode(mode)),
                 indexSet(expected));
    }

    void percentile_data() {
        QTest::addColumn<int>("rank");
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("expected");
        QTest::newRow("top") << 1 << 4 << 100.0;
        QTest::newRow("bottom") << 4 << 4 << 25.0;
        QTest::newRow("second of 227") << 2 << 227 << 100.0 * 226 / 227;
        QTest::newRow("rank 0 invalid") << 0 << 4 << 0.0;
        QTest::newRow("rank past n") << 5 << 4 << 0.0;
        QTest::newRow("empty") << 1 << 0 << 0.0;
    }
    void percentile() {
        QFETCH(int, rank);
        QFETCH(int, n);
        QFETCH(double, expected);
        QCOMPARE(percentileOfRank(rank, n), expected);
    }
};

QTEST_APPLESS_MAIN(TstViewMath)
#include "tst_view_math.moc"
