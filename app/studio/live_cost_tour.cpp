#include "app/studio/live_cost_tour.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QMenu>
#include <QPainter>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <cstdio>

#include "app/studio/job_runner.h"
#include "app/studio/live_cost.h"
#include "app/studio/live_cost_ui.h"
#include "app/studio/main_window.h"
#include "app/studio/tour_capture.h"
#include "views/heatmap_canvas.h"
#include "views/heatmap_view.h"
#include "views/policy_editor.h"
#include "views/policy_model.h"
#include "views/tensor_selection.h"

namespace taskquant::studio {

bool saveLiveCostShots(MainWindow& w, const QString& directory) {
    LiveCostController* c = w.liveCost();
    w.jobs()->waitForIdle(120000);
    if (!c || !c->hasModel()) {
        std::fprintf(stderr, "live cost: the model's GGUF layout was not read\n");
        return false;
    }
    w.tabs()->setCurrentIndex(0);
    applyLlamaMix(&w, QStringLiteral("Q4_K_M"));
    w.jobs()->waitForIdle(60000);
    const QString q0 = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
    const QString down1 = QStringLiteral("model.layers.1.mlp.down_proj.weight");
    w.policy()->setPrecision({down1}, quant::Precision::parse("q2_k"));
    w.policy()->setPrecision({q0}, quant::Precision::parse("q8_0"));
    settleEvents();
    if (!savePixmap(w.grab(), directory, QStringLiteral("engine-05-live-cost.png")))
        return false;

    w.tabs()->setCurrentWidget(w.policyEditor());
    settleEvents();
    w.policyEditor()->table()->scrollTo(w.policyEditor()->table()->model()->index(
        0, w.policyEditor()->table()->model()->columnCount() - 1));
    if (!savePixmap(w.grab(), directory, QStringLiteral("engine-08-policy-live-cost.png")))
        return false;
    w.tabs()->setCurrentIndex(0);

    c->setColoring(LiveCostController::Coloring::Type);
    settleEvents();
    if (!savePixmap(w.grab(), directory, QStringLiteral("engine-06-heatmap-types.png")))
        return false;
    c->setColoring(LiveCostController::Coloring::Damage);
    settleEvents();
    if (!savePixmap(w.grab(), directory, QStringLiteral("engine-09-heatmap-damage.png")))
        return false;
    c->setColoring(LiveCostController::Coloring::Score);

    // The context menu on layer 0's q_proj (rows of 96: no K-quant fits), composed onto the
    // window at the cell, with the GGUF Type submenu open beside it.
    views::HeatmapCanvas* canvas = w.heatmapView()->canvas();
    w.selection()->setNames({q0});
    settleEvents();
    QPointF cellCenter(40, 40);
    const int index = canvas->data().indexOf(q0);
    for (const auto& cell : canvas->data().tensors->grid.cells)
        for (std::size_t t : cell.tensors)
            if (int(t) == index)
                cellCenter = canvas->cellRect(cell.row, cell.column).center();
    const QPoint at = canvas->viewport()->mapTo(&w, cellCenter.toPoint());
    QMenu menu(canvas);
    canvas->populateContextMenu(menu);
    QMenu* types = menu.findChild<QMenu*>(QStringLiteral("ggufTypeMenu"));
    menu.popup(w.mapToGlobal(at));
    settleEvents();
    QPixmap shot = w.grab();
    {
        QPainter p(&shot);
        const QPixmap m = menu.grab();
        p.drawPixmap(at, m);
        if (types) {
            types->popup(w.mapToGlobal(at + QPoint(m.width() - 4, 0)));
            settleEvents();
            p.drawPixmap(at + QPoint(m.width() - 4, 0), types->grab());
            types->hide();
        }
    }
    menu.hide();
    return savePixmap(shot, directory, QStringLiteral("engine-07-gguf-type-menu.png"));
}

} // namespace taskquant::studio
