// The GGUF types the views offer for a tensor (views/gguf_type_menu.h) and the policy editor's
// delegate, on hand-worked shapes: ggml blocks need the row length (last dimension) divisible
// by the block, 32 for q4_0 ... q8_0 and iq4_nl, 256 for the K-quants and iq4_xs. So a
// 96-column row takes q4_0 (3 blocks) but not q4_k (llama-quantize would store q5_0), a
// 48-column row takes no block type at all, a 256-column row takes every one.
#include <QComboBox>
#include <QMenu>
#include <QStandardItemModel>
#include <QStyleOptionViewItem>
#include <QtTest/QtTest>

#include "views/gguf_type_menu.h"
#include "views/precision_delegate.h"
#include "views/table_model_base.h"

using namespace taskquant;
using namespace taskquant::views;
using quant::Precision;

namespace {
const GgufTypeOption* optionOf(const std::vector<GgufTypeOption>& o, const std::string& name) {
    for (const auto& x : o)
        if (x.precision.name() == name)
            return &x;
    return nullptr;
}
} // namespace

class TstGgufTypeMenu : public QObject {
    Q_OBJECT
  private slots:
    void menuOrderAndBits() {
        const auto& t = ggufMenuTypes();
        QCOMPARE(int(t.size()), 15); // 12 block types + f16, bf16, f32
        QCOMPARE(QString::fromStdString(t.front().name()), QStringLiteral("q2_k"));
        QCOMPARE(QString::fromStdString(t.back().name()), QStringLiteral("f32"));
        // ggml-common.h: q4_k 144 bytes per 256 weights = 4.5 bits; q8_0 34 per 32 = 8.5.
        QCOMPARE(ggufTypeBits(Precision::parse("q4_k")), 4.5);
        QCOMPARE(ggufTypeBits(Precision::parse("q8_0")), 8.5);
        QCOMPARE(ggufTypeBits(Precision::parse("q2_k")), 84.0 * 8 / 256);
        QCOMPARE(ggufTypeLabel(Precision::parse("iq4_nl")), QStringLiteral("IQ4_NL"));
    }

    void allowedByShape_data() {
        QTest::addColumn<QList<qlonglong>>("shape");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("reasonHas");
        const QList<qlonglong> s96{96, 96}, s256{96, 256}, s48{64, 48};
        QTest::newRow("96 cols q4_k") << s96 << "q4_k" << false << "q5_0";
        QTest::newRow("96 cols q2_k") << s96 << "q2_k" << false << "iq4_nl";
        QTest::newRow("96 cols q6_k") << s96 << "q6_k" << false << "q8_0";
        QTest::newRow("96 cols iq4_xs") << s96 << "iq4_xs" << false << "row length 96";
        QTest::newRow("96 cols q4_0") << s96 << "q4_0" << true << "";
        QTest::newRow("96 cols iq4_nl") << s96 << "iq4_nl" << true << "";
        QTest::newRow("256 cols q4_k") << s256 << "q4_k" << true << "";
        QTest::newRow("256 cols q2_k") << s256 << "q2_k" << true << "";
        QTest::newRow("48 cols q4_0") << s48 << "q4_0" << false << "f16";
        QTest::newRow("48 cols q8_0") << s48 << "q8_0" << false << "divisible by 32";
        QTest::newRow("48 cols f16") << s48 << "f16" << true << "";
        QTest::newRow("48 cols bf16") << s48 << "bf16" << true << "";
        QTest::newRow("48 cols f32") << s48 << "f32" << true << "";
    }
    void allowedByShape() {
        QFETCH(QList<qlonglong>, shape);
        QFETCH(QString, type);
        QFETCH(bool, allowed);
        QFETCH(QString, reasonHas);
        std::vector<int64_t> s(shape.begin(), shape.end());
        const auto options = ggufTypeOptions({{QStringLiteral("w"), s}});
        const GgufTypeOption* o = optionOf(options, type.toStdString());
        QVERIFY(o);
        QCOMPARE(o->allowed, allowed);
        QCOMPARE(o->reason.isEmpty(), allowed);
        QVERIFY2(o->reason.contains(reasonHas), qPrintable(o->reason));
        if (!allowed)
            QVERIFY(o->reason.startsWith(QStringLiteral("w: ")));
    }

    void selectionIsAllowedOnlyWhenEveryTensorIs() {
        const std::vector<ShapedTensor> sel = {
            {QStringLiteral("down"), std::vector<int64_t>{96, 256}},
            {QStringLiteral("q"), std::vector<int64_t>{96, 96}},
            {QStringLiteral("k"), std::vector<int64_t>{96, 96}},
            {QStringLiteral("unknown"), std::nullopt}};
        const auto o = ggufTypeOptions(sel);
        const auto* q4k = optionOf(o, "q4_k");
        QVERIFY(!q4k->allowed);
        QVERIFY2(q4k->reason.startsWith(QStringLiteral("q: ")), qPrintable(q4k->reason));
        QVERIFY2(q4k->reason.contains(QStringLiteral("1 more")), qPrintable(q4k->reason));
        QVERIFY(optionOf(o, "q4_0")->allowed);
        // unknown shapes alone restrict nothing
        for (const auto& x : ggufTypeOptions({{QStringLiteral("u"), std::nullopt}}))
            QVERIFY(x.allowed);
    }

    void menuActions() {
        QMenu menu;
        std::optional<Precision> applied;
        const auto actions =
            addGgufTypeActions(&menu, {{QStringLiteral("q"), std::vector<int64_t>{96, 96}}},
                               [&applied](const Precision& p) { applied = p; });
        QCOMPARE(actions.size(), 15);
        QAction* q4k = nullptr;
        QAction* q40 = nullptr;
        for (QAction* a : actions) {
            if (a->data().toString() == QStringLiteral("q4_k"))
                q4k = a;
            if (a->data().toString() == QStringLiteral("q4_0"))
                q40 = a;
        }
        QVERIFY(q4k && q40);
        QVERIFY(!q4k->isEnabled());
        QVERIFY(q4k->toolTip().contains(QStringLiteral("q5_0")));
        QCOMPARE(q4k->statusTip(), q4k->toolTip());
        QVERIFY(q40->isEnabled());
        q40->trigger();
        QCOMPARE(applied, Precision::parse("q4_0"));
    }

    void delegateDisablesWhatTheRowRefuses() {
        QStandardItemModel model(1, 1);
        model.setData(model.index(0, 0), QStringLiteral("q"), TableModelBase::NameRole);
        PrecisionDelegate d;
        d.setShapeProvider([](const QString& n) -> std::optional<std::vector<int64_t>> {
            if (n == QStringLiteral("q"))
                return std::vector<int64_t>{96, 96};
            return std::nullopt;
        });
        QWidget parent;
        auto* box = qobject_cast<QComboBox*>(
            d.createEditor(&parent, QStyleOptionViewItem(), model.index(0, 0)));
        QVERIFY(box);
        auto* items = qobject_cast<QStandardItemModel*>(box->model());
        const int q4k = box->findData(QStringLiteral("q4_k"));
        const int q40 = box->findData(QStringLiteral("q4_0"));
        QVERIFY(q4k > 0 && q40 > 0);
        QVERIFY(!items->item(q4k)->isEnabled());
        QVERIFY(items->item(q4k)->toolTip().contains(QStringLiteral("q5_0")));
        QVERIFY(items->item(q40)->isEnabled());
        QVERIFY(box->findData(QStringLiteral("int4_g128")) > q40); // after the GGUF types
        QCOMPARE(box->itemData(0).toString(), QString());          // policy default first
    }
};

QTEST_MAIN(TstGgufTypeMenu)
#include "tst_gguf_type_menu.moc"
