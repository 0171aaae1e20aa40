// Heatmap and scatter driven by real mouse and key events (offscreen): a drag selects the
// rectangle of cells, a key sets their precision in the policy model, undo restores it, and
// the scatter's rectangle selection highlights the same cells in the heatmap (and back).
#include <QUndoStack>
#include <QtTest/QtTest>
#include <qcustomplot.h>

#include "views/heatmap_canvas.h"
#include "views/heatmap_view.h"
#include "views/policy_model.h"
#include "views/scatter_view.h"
#include "views/tensor_selection.h"

using namespace taskquant;
using namespace taskquant::views;

namespace {
const char* const kKinds[] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                              "self_attn.dense",  "mlp.fc1",          "mlp.fc2"};
QString tensor(int layer, int kind) {
    return QStringLiteral("model.layers.%1.%2.weight").arg(layer).arg(QLatin1String(kKinds[kind]));
}
// A Phi-style map of 4 layers x 6 kinds + embeddings, final norm, lm_head. Scores are
// distinct; magnitude is the same tensors with scores in another order.
std::shared_ptr<const sensitivity::SensitivityMap> phiMap(bool magnitude) {
    std::vector<sensitivity::MapEntry> e;
    e.push_back({"model.embed_tokens.weight", magnitude ? 50.0 : 3.0, 100, std::nullopt});
    for (int l = 0; l < 4; ++l)
        for (int k = 0; k < 6; ++k) {
            // Layer 3 fc2 is "silent": second in Fisher, second lowest in magnitude.
            const double s = !magnitude           ? 0.5 + l + 0.01 * k
                             : (l == 3 && k == 5) ? 0.3
                                                  : 1.0 + 3 * k + 0.1 * l;
            e.push_back({tensor(l, k).toStdString(), s, 16, std::nullopt});
        }
    e.push_back({"model.final_layernorm.weight", magnitude ? 0.2 : 0.7, 4, std::nullopt});
    e.push_back({"lm_head.weight", magnitude ? 60.0 : 9.0, 100, std::nullopt});
    sensitivity::Provenance p;
    p.method = magnitude ? "magnitude_l2" : "fisher";
    p.architecture = "phi";
    return std::make_shared<const sensitivity::SensitivityMap>(e, p);
}
QSet<QString> names(std::initializer_list<QString> l) {
    return QSet<QString>(l.begin(), l.end());
}
} // namespace

class TstInteraction : public QObject {
    Q_OBJECT
  private slots:
    void dragSetsPrecisionAndUndoRestores() {
        TensorSelection selection;
        PolicyModel policy;
        HeatmapView view;
        view.setSelectionModel(&selection);
        view.setPolicyModel(&policy);
        view.setMap(phiMap(false));
        view.resize(700, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        HeatmapCanvas* c = view.canvas();
        QCOMPARE(c->data().tensors->grid.layerCount(), 4);
        const int q = c->columnOfKindLabel(QStringLiteral("q_proj"));
        const int k = c->columnOfKindLabel(QStringLiteral("k_proj"));
        QCOMPARE(q, 0);
        QCOMPARE(k, 1);
        const QPoint from = c->cellRect(c->rowOfLayer(1), q).center().toPoint();
        const QPoint to = c->cellRect(c->rowOfLayer(2), k).center().toPoint();
        QWidget* vp = c->viewport();
        QTest::mousePress(vp, Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(vp, (from + to) / 2);
        QTest::mouseMove(vp, to);
        QTest::mouseRelease(vp, Qt::LeftButton, Qt::NoModifier, to);
        const QSet<QString> rect = names({tensor(1, 0), tensor(1, 1), tensor(2, 0), tensor(2, 1)});
        QCOMPARE(selection.names(), rect);
        QVERIFY(c->isCellSelected(c->rowOfLayer(2), k));
        QVERIFY(!c->isCellSelected(c->rowOfLayer(3), k));

        QTest::keyClick(c, Qt::Key_4);
        QCOMPARE(policy.choices().size(), 4);
        for (const QString& n : rect)
            QCOMPARE(policy.precision(n), quant::Precision::parse("int4_g128"));
        QCOMPARE(policy.undoStack()->count(), 1);

        // Ctrl-click toggles one cell out; 1 keeps it at 16-bit.
        const QPoint l2k = c->cellRect(c->rowOfLayer(2), k).center().toPoint();
        QTest::mouseClick(vp, Qt::LeftButton, Qt::ControlModifier, l2k);
        QCOMPARE(selection.names(), names({tensor(1, 0), tensor(1, 1), tensor(2, 0)}));
        QTest::keyClick(c, Qt::Key_1);
        QCOMPARE(policy.precision(tensor(1, 0)), quant::Precision::parse("f16"));
        QCOMPARE(policy.precision(tensor(2, 1)), quant::Precision::parse("int4_g128"));

        policy.undoStack()->undo();
        QCOMPARE(policy.precision(tensor(1, 0)), quant::Precision::parse("int4_g128"));
        policy.undoStack()->undo();
        QVERIFY(policy.choices().isEmpty());

        // Shift-click extends the rectangle from the anchor (the last plain click) to here.
        QTest::mouseClick(vp, Qt::LeftButton, Qt::NoModifier, from); // anchor: layer 1 q_proj
        QCOMPARE(selection.names(), names({tensor(1, 0)}));
        const QPoint l3v = c->cellRect(c->rowOfLayer(3), 2).center().toPoint();
        QTest::mouseClick(vp, Qt::LeftButton, Qt::ShiftModifier, l3v);
        QSet<QString> expected;
        for (int l = 1; l <= 3; ++l)
            for (int kk = 0; kk <= 2; ++kk)
                expected.insert(tensor(l, kk));
        QCOMPARE(selection.names(), expected);

        // Clicking the lm_head row (a spanning cell) selects lm_head; Delete clears choices.
        const int lm = int(c->data().tensors->grid.rows.size()) - 1;
        QTest::mouseClick(vp, Qt::LeftButton, Qt::NoModifier,
                          c->cellRect(lm, 3).center().toPoint());
        QCOMPARE(selection.names(), names({QStringLiteral("lm_head.weight")}));
        QTest::keyClick(c, Qt::Key_8);
        QCOMPARE(policy.precision(QStringLiteral("lm_head.weight")),
                 quant::Precision::parse("int8_g128"));
        QTest::keyClick(c, Qt::Key_Delete);
        QVERIFY(policy.choices().isEmpty());

        // The tooltip names the tensor, its rank and its chosen precision.
        const QString tip = c->toolTipAt(c->cellRect(c->rowOfLayer(3), 5).center());
        QVERIFY(tip.contains(tensor(3, 5)));
        // Scores: lm_head 9 is first, layer 3 fc2 (0.5 + 3 + 0.05) second of 27.
        QVERIFY(tip.contains(QStringLiteral("2 of 27")));
        QVERIFY(tip.contains(QStringLiteral("policy default")));
    }

    // Without a mouse: arrows move and select, Shift+arrows extend, Space toggles, 8 sets.
    void keyboardSelectsCells() {
        TensorSelection selection;
        PolicyModel policy;
        HeatmapView view;
        view.setSelectionModel(&selection);
        view.setPolicyModel(&policy);
        view.setMap(phiMap(false));
        view.resize(700, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        HeatmapCanvas* c = view.canvas();
        c->setFocus();
        const QPoint start = c->cellRect(c->rowOfLayer(1), 0).center().toPoint();
        QTest::mouseClick(c->viewport(), Qt::LeftButton, Qt::NoModifier, start);
        QCOMPARE(selection.names(), names({tensor(1, 0)}));
        QTest::keyClick(c, Qt::Key_Right);
        QCOMPARE(selection.names(), names({tensor(1, 1)}));
        QTest::keyClick(c, Qt::Key_Down, Qt::ShiftModifier);
        QTest::keyClick(c, Qt::Key_Right, Qt::ShiftModifier);
        QCOMPARE(selection.names(),
                 names({tensor(1, 1), tensor(1, 2), tensor(2, 1), tensor(2, 2)}));
        QTest::keyClick(c, Qt::Key_Space); // the current cell (layer 2, column 2) leaves
        QCOMPARE(selection.names(), names({tensor(1, 1), tensor(1, 2), tensor(2, 1)}));
        QTest::keyClick(c, Qt::Key_Space); // and comes back
        QCOMPARE(selection.names().size(), 4);
        QTest::keyClick(c, Qt::Key_8);
        QCOMPARE(policy.choices().size(), 4);
        QTest::keyClick(c, Qt::Key_Up); // a plain arrow selects one cell again
        QCOMPARE(selection.names(), names({tensor(1, 2)}));
    }

    void zoomKeepsCellUnderCursor() {
        HeatmapView view;
        view.setMap(phiMap(false));
        view.resize(600, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        HeatmapCanvas* c = view.canvas();
        const QSizeF before = c->geometry().cellSize();
        c->zoomBy(2.0);
        QVERIFY(c->geometry().cellSize().width() > before.width() * 1.9);
        c->fitToWindow();
        QCOMPARE(c->geometry().cellSize(), before);
    }

    // The zoom keys are the canvas's own actions (the context menu and the main window's View
    // menu show the same three): Ctrl+= zooms in as Ctrl++ does, x1.25 then x0.8 is the start.
    void zoomActionsCarryTheShortcuts() {
        HeatmapView view;
        view.setMap(phiMap(false));
        view.resize(600, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        HeatmapCanvas* c = view.canvas();
        QVERIFY(c->zoomInAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::Key_Equal)));
        QVERIFY(c->zoomInAction()->shortcuts().contains(QKeySequence(QKeySequence::ZoomIn)));
        QCOMPARE(c->zoomOutAction()->shortcut(), QKeySequence(QKeySequence::ZoomOut));
        QCOMPARE(c->fitAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_0));
        QVERIFY(c->actions().contains(c->zoomInAction()));
        const QSizeF before = c->geometry().cellSize();
        c->zoomInAction()->trigger();
        QVERIFY(c->geometry().cellSize().width() > before.width() * 1.2);
        c->fitAction()->trigger();
        QCOMPARE(c->geometry().cellSize(), before);
    }

    void scatterSelectionHighlightsHeatmapCells() {
        TensorSelection selection;
        HeatmapView heat;
        heat.setSelectionModel(&selection);
        heat.setMap(phiMap(false));
        ScatterView scatter;
        scatter.setSelectionModel(&selection);
        scatter.setMaps(phiMap(false), phiMap(true));
        scatter.resize(800, 600);
        heat.resize(600, 500);
        scatter.show();
        heat.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scatter));
        scatter.plot()->replot();

        // Drag a rectangle around layer 2 v_proj's point.
        const QPointF p = scatter.pointPixel(tensor(2, 2));
        QVERIFY(p.x() > 0);
        const QRectF box(p - QPointF(4, 4), p + QPointF(4, 4));
        QSet<QString> inside; // expected: every point whose pixel falls in the box
        for (const auto& r : scatter.comparison().rows)
            if (box.contains(scatter.pointPixel(r.name)))
                inside.insert(r.name);
        QVERIFY(inside.contains(tensor(2, 2)));
        QTest::mousePress(scatter.plot(), Qt::LeftButton, Qt::NoModifier, box.topLeft().toPoint());
        QTest::mouseMove(scatter.plot(), box.center().toPoint());
        QTest::mouseMove(scatter.plot(), box.bottomRight().toPoint());
        QTest::mouseRelease(scatter.plot(), Qt::LeftButton, Qt::NoModifier,
                            box.bottomRight().toPoint());
        QCOMPARE(selection.names(), inside);
        HeatmapCanvas* c = heat.canvas();
        for (int l = 0; l < 4; ++l)
            for (int k = 0; k < 6; ++k)
                QCOMPARE(c->isCellSelected(c->rowOfLayer(l), k), inside.contains(tensor(l, k)));

        // And back: a click in the heatmap rings that point in the scatter.
        QTest::mouseClick(c->viewport(), Qt::LeftButton, Qt::NoModifier,
                          c->cellRect(c->rowOfLayer(0), 4).center().toPoint());
        QCOMPARE(scatter.highlightedTensors(), QStringList{tensor(0, 4)});
    }

    void scatterStatistics() {
        ScatterView scatter;
        scatter.setMaps(phiMap(false), phiMap(true));
        // Every tensor of both maps is compared; silent = Fisher rank far above magnitude rank.
        QCOMPARE(int(scatter.comparison().rows.size()), 27);
        QCOMPARE(scatter.labelledTensors(), QStringList{tensor(3, 5)});
    }
};

QTEST_MAIN(TstInteraction)
#include "tst_interaction.moc"
