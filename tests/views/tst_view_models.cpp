// Item models under QAbstractItemModelTester, the policy model's undo/redo, and the map
// comparison statistics (hand-computed expectations).
#include <QAbstractItemModelTester>
#include <QUndoStack>
#include <QtTest/QtTest>
#include <cmath>

#include "views/map_comparison.h"
#include "views/map_list_model.h"
#include "views/policy_model.h"
#include "views/rank_shift_model.h"
#include "views/tensor_filter_proxy.h"
#include "views/tensor_table_model.h"

using namespace taskquant;
using namespace taskquant::views;
using sensitivity::MapEntry;
using sensitivity::SensitivityMap;

namespace {
// Scores chosen so the ranks are obvious: k_proj of layer 1 is the largest.
std::shared_ptr<const SensitivityMap> smallMap(const std::string& source = "a.json",
                                               double bump = 0) {
    std::vector<MapEntry> e = {
        {"model.layers.0.self_attn.q_proj.weight", 2.0, 64, std::nullopt},
        {"model.layers.0.self_attn.k_proj.weight", 0.5 + bump, 64, std::nullopt},
        {"model.layers.1.self_attn.q_proj.weight", 1.0, 64, std::nullopt},
        {"model.layers.1.self_attn.k_proj.weight", 8.0, 64, std::nullopt},
        {"lm_head.weight", 4.0, 256, std::nullopt},
    };
    sensitivity::Provenance p;
    p.method = "fisher";
    p.dataset = "gsm8k";
    p.samples = 64;
    return std::make_shared<const SensitivityMap>(e, p, std::nullopt, source);
}
QStringList column(const QAbstractItemModel& m, int col) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, col).data().toString();
    return out;
}
const quant::Precision kInt4 = quant::Precision::parse("int4_g128");
const quant::Precision kF16 = quant::Precision::parse("f16");
} // namespace

class TstModels : public QObject {
    Q_OBJECT
  private slots:
    void tensorTableUnderTester() {
        TensorTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        TensorFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        PolicyModel policy;
        model.setPolicyModel(&policy);
        QCOMPARE(model.rowCount(), 0);
        model.setMap(smallMap());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(TensorTableModel::ColumnCount));
        // Ranks and percentiles by hand: scores 2, 0.5, 1, 8, 4 -> ranks 3, 5, 4, 1, 2.
        QCOMPARE(column(model, TensorTableModel::Rank),
                 (QStringList{QStringLiteral("3"), QStringLiteral("5"), QStringLiteral("4"),
                              QStringLiteral("1"), QStringLiteral("2")}));
        QCOMPARE(model.index(3, TensorTableModel::Percentile).data().toString(),
                 QStringLiteral("100.0"));
        QCOMPARE(model.index(1, TensorTableModel::Percentile).data().toString(),
                 QStringLiteral("20.0"));
        QCOMPARE(model.index(4, TensorTableModel::Layer).data().toString(),
                 QStringLiteral("lm_head"));
        QCOMPARE(model.index(2, TensorTableModel::Layer).data().toString(), QStringLiteral("1"));

        // Sorting by score (numeric, not textual) descending.
        proxy.sort(TensorTableModel::Score, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, TensorTableModel::Name).data().toString(),
                 QStringLiteral("model.layers.1.self_attn.k_proj.weight"));
        QCOMPARE(proxy.index(4, TensorTableModel::Name).data().toString(),
                 QStringLiteral("model.layers.0.self_attn.k_proj.weight"));
        // Parameter count sorts numerically too (256 after 64 ascending).
        proxy.sort(TensorTableModel::Numel, Qt::AscendingOrder);
        QCOMPARE(proxy.index(4, TensorTableModel::Name).data().toString(),
                 QStringLiteral("lm_head.weight"));

        proxy.setNameFilter(QStringLiteral("K_PROJ"));
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setNameFilter({});
        proxy.setKindFilter(QStringLiteral("q_proj"));
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setKindFilter({});

        // Editing the precision column goes through the policy model, undoably.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const QModelIndex p = model.index(1, TensorTableModel::Precision);
        QVERIFY(model.flags(p) & Qt::ItemIsEditable);
        QVERIFY(!(model.flags(model.index(1, TensorTableModel::Score)) & Qt::ItemIsEditable));
        QVERIFY(model.setData(p, QStringLiteral("int4_g128")));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(policy.precision(QStringLiteral("model.layers.0.self_attn.k_proj.weight")), kInt4);
        QCOMPARE(p.data().toString(), QStringLiteral("int4_g128"));
        QVERIFY(!model.setData(p, QStringLiteral("int3_bogus")));
        proxy.setOnlyExplicit(true);
        QCOMPARE(proxy.rowCount(), 1);
        policy.undoStack()->undo();
        QCOMPARE(proxy.rowCount(), 0);
        QCOMPARE(p.data().toString(), QString());
        proxy.setOnlyExplicit(false);

        // A new map resets the model; the tester checks the signals.
        model.setMap(smallMap("b.json", 10));
        QCOMPARE(model.index(1, TensorTableModel::Rank).data().toInt(), 1);
        model.setMap(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.index(0, 0).isValid());
    }

    void policyUndoRedo() {
        PolicyModel policy;
        QSignalSpy spy(&policy, &PolicyModel::choicesChanged);
        const QString a = QStringLiteral("a"), b = QStringLiteral("b");
        policy.setPrecision({a, b}, kInt4);
        QCOMPARE(policy.undoStack()->count(), 1);
        QCOMPARE(spy.count(), 1);
        policy.setPrecision({a}, kInt4); // no change: nothing pushed
        QCOMPARE(policy.undoStack()->count(), 1);
        policy.setPrecision({a}, kF16);
        QCOMPARE(policy.precision(a), kF16);
        QCOMPARE(policy.precision(b), kInt4);
        policy.undoStack()->undo();
        QCOMPARE(policy.precision(a), kInt4);
        policy.setPrecision({a, b}, std::nullopt);
        QVERIFY(policy.choices().isEmpty());
        policy.undoStack()->undo();
        QCOMPARE(policy.choices().size(), 2);
        policy.undoStack()->undo();
        QVERIFY(policy.choices().isEmpty());
        policy.undoStack()->redo();
        QCOMPARE(policy.precision(b), kInt4);

        PolicyModel::Choices next;
        next.insert(QStringLiteral("c"), kF16);
        policy.replaceAll(next, QStringLiteral("apply"));
        QCOMPARE(policy.choices().keys(), QStringList{QStringLiteral("c")});
        policy.undoStack()->undo();
        QCOMPARE(policy.choices().size(), 2);
        QCOMPARE(spy.last().at(0).toStringList().size(), 3); // a, b, c touched
    }

    void mapListUnderTester() {
        MapListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.addMap(smallMap("/x/fisher_gsm8k.json")), 0);
        QCOMPARE(model.addMap(smallMap("/x/magnitude.json")), 1);
        QCOMPARE(model.addMap(smallMap("/x/fisher_gsm8k.json", 1)), 0); // same file: replaced
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, MapListModel::File).data().toString(),
                 QStringLiteral("fisher_gsm8k"));
        QCOMPARE(model.index(1, MapListModel::Method).data().toString(), QStringLiteral("fisher"));
        QCOMPARE(model.index(1, MapListModel::Tensors).data().toInt(), 5);
        // A map made in the session and not saved yet says what it is.
        QCOMPARE(model.addMap(smallMap("")), 2);
        QCOMPARE(model.index(2, MapListModel::File).data().toString(),
                 QStringLiteral("fisher on gsm8k, unsaved"));
        model.removeMap(2);
        model.removeMap(0);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.mapAt(0)->source(), std::string("/x/magnitude.json"));
        model.removeMap(7); // ignored
        QVERIFY(!model.mapAt(3));
    }

    void rankShiftUnderTester() {
        RankShiftModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // B bumps layer 0 k_proj from 0.5 to 10.5: rank 5 -> 1, the largest shift (4).
        const auto c = compareMaps(*smallMap(), *smallMap("b.json", 10));
        model.setComparison(c, QStringLiteral("gsm8k"), QStringLiteral("math"));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.nameAt(0), QStringLiteral("model.layers.0.self_attn.k_proj.weight"));
        QCOMPARE(model.index(0, RankShiftModel::Shift).data().toInt(), 4);
        QCOMPARE(model.index(0, RankShiftModel::Log2Ratio).data().toString(),
                 QString::number(std::log2(10.5 / 0.5), 'f', 2));
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("Rank in gsm8k"));
    }

    void comparisonAdapter() {
        // (1,2,3) vs (1,3,2) by hand: d = (0,1,-1), rho = 1 - 6*2/(3*8) = 0.5; tau = (2-1)/3.
        auto flat = [](std::vector<double> v) {
            std::vector<MapEntry> e;
            for (std::size_t i = 0; i < v.size(); ++i)
                e.push_back({"t" + std::to_string(i), v[i], 1, std::nullopt});
            return SensitivityMap(e, {});
        };
        const auto c = compareMaps(flat({1, 2, 3}), flat({1, 3, 2}));
        QCOMPARE(int(c.rows.size()), 3);
        QVERIFY(std::abs(c.spearman - 0.5) < 1e-12);
        QVERIFY(std::abs(c.kendall - 1.0 / 3) < 1e-12);
        QCOMPARE(c.rows[1].name, QStringLiteral("t1"));
        QCOMPARE(c.rows[1].rankA, 2); // score 2 of {1,2,3}
        QCOMPARE(c.rows[1].rankB, 1); // score 3 of {1,3,2}
        QVERIFY(std::abs(c.rows[1].log2Ratio - std::log2(3.0 / 2.0)) < 1e-12);
        // Nothing in common: empty, no throw.
        std::vector<MapEntry> other = {{"zzz", 1, 1, std::nullopt}};
        const auto none = compareMaps(flat({1, 2}), SensitivityMap(other, {}));
        QVERIFY(none.rows.empty());
        QVERIFY(std::isnan(none.spearman));
    }

    void silent() {
        // A = Fisher-like, B = magnitude-like: x.0 is rank 1 of 5 in A (top 10 %: rank <= 1)
        // and rank 4 in B (bottom 50 %: rank > 2).
        std::vector<MapEntry> fa = {{"x.0", 8, 1, {}},
                                    {"x.1", 4, 1, {}},
                                    {"x.2", 2, 1, {}},
                                    {"x.3", 1, 1, {}},
                                    {"x.4", 0.5, 1, {}}};
        std::vector<MapEntry> fb = {{"x.0", 1, 1, {}},
                                    {"x.1", 8, 1, {}},
                                    {"x.2", 4, 1, {}},
                                    {"x.3", 2, 1, {}},
                                    {"x.4", 0.25, 1, {}}};
        const SensitivityMap a(fa, {}), b(fb, {});
        QCOMPARE(silentTensorNames(a, b, 3), QStringList{QStringLiteral("x.0")});
        QCOMPARE(silentTensorNames(a, b, 0), QStringList{});
        QCOMPARE(silentTensorNames(b, a, 3), QStringList{}); // x.1: rank 1 in b, 2 in a
    }
};

QTEST_MAIN(TstModels)
#include "tst_view_models.moc"
