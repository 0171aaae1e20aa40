// The frontier and validation plots' maths (views/frontier_math.h), data-driven with
// hand-worked expectations: the log axis (decade fit, value <-> fraction <-> pixel, values
// <= 0 on the floor), hit testing of points (nearest within the radius, inclusive, ties to the
// earlier point), the family of a frontier point and the lines they form. (The fitted scale
// measured / predicted is the engine's: tests/core/tst_damage.cpp fitScale.)
#include <QtTest/QtTest>
#include <cmath>
#include <limits>

#include "views/frontier_math.h"

using namespace taskquant::views;

Q_DECLARE_METATYPE(std::vector<double>)

class TstFrontierMath : public QObject {
    Q_OBJECT
  private slots:
    void logAxisFit_data() {
        QTest::addColumn<std::vector<double>>("values");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("two decades apart") << std::vector<double>{0.003, 0.2} << 1e-3 << 1.0;
        QTest::newRow("one value on a decade") << std::vector<double>{0.01} << 1e-2 << 1e-1;
        QTest::newRow("none positive") << std::vector<double>{0, -1} << 1e-4 << 1.0;
        QTest::newRow("empty") << std::vector<double>{} << 1e-4 << 1.0;
        QTest::newRow("zeros ignored") << std::vector<double>{0, -1, 5e-5, 2} << 1e-5 << 10.0;
        QTest::newRow("nan ignored") << std::vector<double>{nan, 0.5} << 0.1 << 1.0;
        QTest::newRow("same decade") << std::vector<double>{0.02, 0.07} << 1e-2 << 1e-1;
    }
    void logAxisFit() {
        QFETCH(std::vector<double>, values);
        QFETCH(double, lo);
        QFETCH(double, hi);
        const LogAxis a = LogAxis::fit(values);
        QVERIFY2(std::fabs(a.lo / lo - 1) < 1e-12, qPrintable(QString::number(a.lo)));
        QVERIFY2(std::fabs(a.hi / hi - 1) < 1e-12, qPrintable(QString::number(a.hi)));
    }

    void logAxisMapping_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<double>("pixel"); // top 10, bottom 110
        // axis 1e-3 .. 1: three decades over 100 px
        QTest::newRow("floor") << 1e-3 << 0.0 << 110.0;
        QTest::newRow("top") << 1.0 << 1.0 << 10.0;
        QTest::newRow("half way: 10^-1.5") << std::pow(10.0, -1.5) << 0.5 << 60.0;
        QTest::newRow("one decade up") << 1e-2 << 1.0 / 3 << 110.0 - 100.0 / 3;
        QTest::newRow("zero on the floor") << 0.0 << 0.0 << 110.0;
        QTest::newRow("negative on the floor") << -1.0 << 0.0 << 110.0;
        QTest::newRow("above the axis") << 10.0 << 4.0 / 3 << 110.0 - 400.0 / 3;
    }
    void logAxisMapping() {
        QFETCH(double, value);
        QFETCH(double, fraction);
        QFETCH(double, pixel);
        const LogAxis a{1e-3, 1};
        QVERIFY(std::fabs(a.toFraction(value) - fraction) < 1e-12);
        QVERIFY(std::fabs(a.toPixel(value, 10, 110) - pixel) < 1e-9);
        if (value > 0)
            QVERIFY(std::fabs(a.fromFraction(fraction) / value - 1) < 1e-12);
    }

    void hitTesting_data() {
        QTest::addColumn<std::vector<double>>("xy"); // x0, y0, x1, y1, ...
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("y");
        QTest::addColumn<double>("radius");
        QTest::addColumn<int>("hit");
        const std::vector<double> three{0, 0, 10, 0, 5, 5};
        QTest::newRow("near the second") << three << 9.0 << 0.0 << 3.0 << 1;
        QTest::newRow("exactly on the first") << three << 0.0 << 0.0 << 3.0 << 0;
        QTest::newRow("on the radius counts") << three << 5.0 << 2.0 << 3.0 << 2;
        QTest::newRow("just outside the radius") << three << 5.0 << 1.9 << 3.0 << -1;
        QTest::newRow("far from all") << three << 20.0 << 20.0 << 8.0 << -1;
        QTest::newRow("nearest of two in range") << three << 6.0 << 3.0 << 8.0 << 2;
        QTest::newRow("tie goes to the earlier")
            << std::vector<double>{-2, 0, 2, 0} << 0.0 << 0.0 << 3.0 << 0;
        QTest::newRow("same place twice")
            << std::vector<double>{4, 4, 4, 4} << 4.0 << 4.0 << 1.0 << 0;
        QTest::newRow("no points") << std::vector<double>{} << 0.0 << 0.0 << 100.0 << -1;
    }
    void hitTesting() {
        QFETCH(std::vector<double>, xy);
        QFETCH(double, x);
        QFETCH(double, y);
        QFETCH(double, radius);
        QFETCH(int, hit);
        std::vector<PixelPoint> pts;
        for (std::size_t i = 0; i + 1 < xy.size(); i += 2)
            pts.push_back({xy[i], xy[i + 1]});
        QCOMPARE(hitTest(pts, x, y, radius), hit);
    }

    void families_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QString>("family");
        QTest::addColumn<bool>("line");
        QTest::newRow("uniform") << "uniform"
                                 << "none"
                                 << "uniform types" << true;
        QTest::newRow("recipe") << "recipe"
                                << "none"
                                << "llama.cpp mixes" << false;
        QTest::newRow("fisher") << "optimal"
                                << "fisher"
                                << "Fisher-optimal" << true;
        QTest::newRow("magnitude l2") << "optimal"
                                      << "magnitude_l2"
                                      << "magnitude-optimal" << true;
        QTest::newRow("magnitude l1") << "optimal"
                                      << "magnitude_l1"
                                      << "magnitude-optimal" << true;
        QTest::newRow("error only") << "optimal"
                                    << "none"
                                    << "error-only" << true;
        QTest::newRow("other signal") << "optimal"
                                      << "perturbation"
                                      << "perturbation-optimal" << true;
        QTest::newRow("current") << "current"
                                 << "none"
                                 << "current" << false;
    }
    void families() {
        QFETCH(QString, kind);
        QFETCH(QString, signal);
        QFETCH(QString, family);
        QFETCH(bool, line);
        const std::string f = familyOf(kind.toStdString(), signal.toStdString());
        QCOMPARE(QString::fromStdString(f), family);
        QCOMPARE(isLineFamily(f), line);
    }

    void linesSortedByBits() {
        const auto lines = linesOf({"a", "b", "a", "a", "b"}, {8, 4, 4.5, 6, 4});
        QCOMPARE(lines.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(lines[0].family), QStringLiteral("a"));
        QCOMPARE(lines[0].indices, (std::vector<int>{2, 3, 0}));
        QCOMPARE(QString::fromStdString(lines[1].family), QStringLiteral("b"));
        QCOMPARE(lines[1].indices, (std::vector<int>{1, 4})); // equal bits keep input order
    }

    void labels_data() {
        QTest::addColumn<std::vector<double>>("xywh");
        QTest::addColumn<QString>("kept"); // one character per box
        QTest::newRow("apart") << std::vector<double>{0, 0, 10, 5, 20, 0, 10, 5} << "11";
        QTest::newRow("overlap: the first wins")
            << std::vector<double>{0, 0, 10, 5, 5, 2, 10, 5} << "10";
        QTest::newRow("touching edges are free")
            << std::vector<double>{0, 0, 10, 5, 10, 0, 10, 5, 0, 5, 10, 5} << "111";
        QTest::newRow("a dropped box blocks nothing")
            << std::vector<double>{0, 0, 10, 10, 8, 0, 10, 10, 16, 0, 10, 10} << "101";
        QTest::newRow("contained") << std::vector<double>{0, 0, 100, 100, 10, 10, 5, 5} << "10";
        QTest::newRow("none") << std::vector<double>{} << "";
    }
    void labels() {
        QFETCH(std::vector<double>, xywh);
        QFETCH(QString, kept);
        std::vector<LabelBox> boxes;
        for (std::size_t i = 0; i + 3 < xywh.size(); i += 4)
            boxes.push_back({xywh[i], xywh[i + 1], xywh[i + 2], xywh[i + 3]});
        QString got;
        for (bool k : keepLabels(boxes))
            got += k ? QLatin1Char('1') : QLatin1Char('0');
        QCOMPARE(got, kept);
    }
};

QTEST_APPLESS_MAIN(TstFrontierMath)
#include "tst_frontier_math.moc"
