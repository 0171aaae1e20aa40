// The Task Transfer tab's maths, item model and view on a hand-written matrix: rows are the
// policies built for a task first (in the columns' order), then the others in the order the
// cells name them; the heat of a cell is log(kld / best) / log(worst / best) within its task
// (hand-computed: 0.02 between 0.01 and 0.04 is exactly 0.5); cell texts are the KLD with its
// interval and the accuracy with its interval in percent; the model passes
// QAbstractItemModelTester; switching the budget switches rows and verdicts; a click on a cell
// names that row's policy.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest/QtTest>
#include <cmath>
#include <limits>

#include "views/transfer_math.h"
#include "views/transfer_model.h"
#include "views/transfer_view.h"

using namespace taskquant::views;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

TransferCellData cell(double b, const char* policy, const char* builtFor, const char* task,
                      double kld, double accuracy = kNaN) {
    TransferCellData c;
    c.budgetBits = b;
    c.policy = QString::fromLatin1(policy);
    c.builtFor = QString::fromLatin1(builtFor);
    c.evalTask = QString::fromLatin1(task);
    c.bytes = b < 4 ? 700000 : 900000;
    c.kld = kld;
    c.kldLow = kld * 0.9;
    c.kldHigh = kld * 1.1;
    c.kldP99 = kld * 10;
    c.top1 = 0.9;
    c.accuracy = accuracy;
    c.accuracyLow = std::isfinite(accuracy) ? accuracy - 0.1 : kNaN;
    c.accuracyHigh = std::isfinite(accuracy) ? accuracy + 0.1 : kNaN;
    return c;
}

// Two budgets; at 3.5 the mixed policy is named first, before the task policies.
std::vector<TransferCellData> matrix() {
    return {cell(3.5, "mixed @3.5", "mixed", "arith", 0.02, 0.45),
            cell(3.5, "mixed @3.5", "mixed", "prose", 0.03),
            cell(3.5, "prose @3.5", "prose", "arith", 0.04, 0.30),
            cell(3.5, "prose @3.5", "prose", "prose", 0.01),
            cell(3.5, "arith @3.5", "arith", "arith", 0.01, 0.50),
            cell(3.5, "arith @3.5", "arith", "prose", 0.03),
            cell(4.5, "arith @4.5", "arith", "arith", 0.004, 0.55),
            cell(4.5, "arith @4.5", "arith", "prose", 0.002),
            cell(4.5, "prose @4.5", "prose", "arith", 0.004, 0.55),
            cell(4.5, "prose @4.5", "prose", "prose", 0.002)};
}

} // namespace

class TstTransferView : public QObject {
    Q_OBJECT
  private slots:
    void budgetsAreDistinctAndSorted() {
        auto cells = matrix();
        std::swap(cells.front(), cells.back());
        const auto b = transferBudgets(cells);
        QCOMPARE(b.size(), std::size_t(2));
        QCOMPARE(b[0], 3.5);
        QCOMPARE(b[1], 4.5);
    }

    void gridOrdersRowsAndColumns() {
        const auto cells = matrix();
        const TransferGrid g = buildTransferGrid(cells, 3.5);
        QCOMPARE(g.tasks, (QStringList{QStringLiteral("arith"), QStringLiteral("prose")}));
        QCOMPARE(g.policies,
                 (QStringList{QStringLiteral("arith @3.5"), QStringLiteral("prose @3.5"),
                              QStringLiteral("mixed @3.5")}));
        QCOMPARE(g.builtFor, (QStringList{QStringLiteral("arith"), QStringLiteral("prose"),
                                          QStringLiteral("mixed")}));
        // arith @3.5 on prose is cells[5]; mixed on arith is cells[0].
        QCOMPARE(g.cellAt(0, 1), 5);
        QCOMPARE(g.cellAt(2, 0), 0);
        QCOMPARE(g.cellAt(3, 0), -1);
        QCOMPARE(g.cellAt(0, 2), -1);
    }

    void heatIsTheLogPositionBetweenBestAndWorst() {
        const auto cells = matrix();
        const TransferGrid g = buildTransferGrid(cells, 3.5);
        // arith column: 0.01 (best), 0.04 (worst), 0.02 -> log 2 / log 4 = 0.5.
        QCOMPARE(g.heat(0, 0), 0.0);
        QCOMPARE(g.heat(1, 0), 1.0);
        QVERIFY(std::fabs(g.heat(2, 0) - 0.5) < 1e-12);
        // prose column: 0.03, 0.01, 0.03.
        QCOMPARE(g.heat(1, 1), 0.0);
        QCOMPARE(g.heat(0, 1), 1.0);
        QCOMPARE(g.heat(2, 1), 1.0);
        // all equal at 4.5 on arith: 0 everywhere.
        const TransferGrid h = buildTransferGrid(cells, 4.5);
        QCOMPARE(h.heat(0, 0), 0.0);
        QCOMPARE(h.heat(1, 0), 0.0);
        QVERIFY(std::isnan(h.heat(5, 0)));
    }

    void cellTextShowsIntervals() {
        QCOMPARE(cellText(cell(3.5, "p", "a", "a", 0.0123, 0.45)),
                 QStringLiteral("0.0123 [0.0111, 0.0135]\n45 % [35, 55]"));
        QCOMPARE(cellText(cell(3.5, "p", "a", "b", 0.02)), QStringLiteral("0.02 [0.018, 0.022]"));
        QVERIFY(isOwnCell(cell(3.5, "p", "a", "a", 0.1)));
        QVERIFY(!isOwnCell(cell(3.5, "p", "mixed", "a", 0.1)));
    }

    void modelPassesTheTesterAndColoursCells() {
        TransferMatrixModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setCells(matrix(), 3.5);
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(m.columnCount(), 5);
        QCOMPARE(m.headerData(3, Qt::Horizontal).toString(), QStringLiteral("on arith"));
        QCOMPARE(m.index(2, TransferMatrixModel::Policy).data().toString(),
                 QStringLiteral("mixed @3.5"));
        QCOMPARE(m.index(0, TransferMatrixModel::SizeKB).data().toString(),
                 QStringLiteral("683.6")); // 700000 / 1024
        QCOMPARE(m.index(0, 3).data(TransferMatrixModel::CellRole).toInt(), 4);
        QVERIFY(m.index(0, 3).data(Qt::FontRole).value<QFont>().bold()); // arith on arith
        QVERIFY(!m.index(0, 4).data(Qt::FontRole).isValid());
        const QColor best = m.index(0, 3).data(Qt::BackgroundRole).value<QBrush>().color();
        const QColor worst = m.index(1, 3).data(Qt::BackgroundRole).value<QBrush>().color();
        QVERIFY(best.red() > 200 && best.green() > 200 && best.blue() > 200); // near white
        QVERIFY(worst.red() > worst.blue() + 60);                             // red
        m.setBudget(4.5);
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.policyAt(1), QStringLiteral("prose @4.5"));
    }

    void viewShowsVerdictsOfItsBudgetAndClickNamesThePolicy() {
        TransferView v;
        std::vector<TransferVerdictData> verdicts(2);
        verdicts[0].task = QStringLiteral("arith");
        verdicts[0].budgetBits = 3.5;
        verdicts[0].text = QStringLiteral("its own policy beats the best other by 50 %");
        verdicts[1].task = QStringLiteral("arith");
        verdicts[1].budgetBits = 4.5;
        verdicts[1].text = QStringLiteral("no task-specific gain here");
        v.setResult(matrix(), verdicts, QStringLiteral("title"));
        v.resize(900, 500);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QCOMPARE(v.budget(), 3.5);
        QCOMPARE(v.verdictText(),
                 QStringLiteral("arith: its own policy beats the best other by 50 %"));
        QSignalSpy spy(&v, &TransferView::policyActivated);
        QTest::mouseClick(v.table()->viewport(), Qt::LeftButton, {}, v.cellRect(1, 4).center());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("prose @3.5"));
        QVERIFY(v.showBudget(4.5));
        QCOMPARE(v.model()->rowCount(), 2);
        QCOMPARE(v.verdictText(), QStringLiteral("arith: no task-specific gain here"));
        QVERIFY(!v.showBudget(5.0));
    }
};

QTEST_MAIN(TstTransferView)
#include "tst_transfer_view.moc"
