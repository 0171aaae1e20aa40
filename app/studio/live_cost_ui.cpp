#include "app/studio/live_cost_ui.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>

#include "app/studio/job_runner.h"
#include "app/studio/live_cost.h"
#include "app/studio/message_bar.h"
#include "core/policy/recipes.h"
#include "views/color_bar.h"
#include "views/heatmap_canvas.h"
#include "views/heatmap_view.h"
#include "views/policy_editor.h"
#include "views/policy_model.h"
#include "views/precision_delegate.h"

namespace taskquant::studio {

// The strings keep the window's translation context (they were MainWindow::tr()).

int applyLlamaMix(const StudioContext& ctx, const QString& name) {
    const QString dir = ctx.modelDirectory();
    if (dir.isEmpty()) {
        ctx.messageBar->showError(
            QCoreApplication::translate("taskquant::studio::MainWindow", "No model open"),
            QCoreApplication::translate("taskquant::studio::MainWindow",
                                        "A llama.cpp mix is chosen from the model's "
                                        "tensors: open a model directory first."));
        return 0;
    }
    struct Mix {
        Choices choices;
        QString recipe;
        int notes = 0;
    };
    views::PolicyModel* policy = ctx.policy;
    return ctx.jobs->runThenReport<Mix>(
        QStringLiteral("apply-mix"),
        QCoreApplication::translate("taskquant::studio::MainWindow", "Choosing llama.cpp's %1 mix")
            .arg(name),
        [dir, name](const JobControl&) {
            const auto model = policy::recipeModelFromDirectory(dir.toStdString());
            const auto r = policy::applyRecipe(name.toStdString(), model);
            Mix m;
            m.recipe = QString::fromStdString(r.recipe.name);
            m.notes = int(r.notes.size());
            for (const auto& t : r.tensors)
                m.choices.insert(QString::fromStdString(t.name), t.type);
            return m;
        },
        [policy](std::shared_ptr<const Mix> m) {
            policy->replaceAll(m->choices,
                               QCoreApplication::translate("taskquant::studio::MainWindow",
                                                           "Apply llama.cpp mix %1")
                                   .arg(m->recipe));
            return JobReport{
                QCoreApplication::translate("taskquant::studio::MainWindow",
                                            "Applied llama.cpp's %1 mix to %n tensor(s) "
                                            "(%2 shape fallback(s)); Undo restores the policy.",
                                            nullptr, int(m->choices.size()))
                    .arg(m->recipe)
                    .arg(m->notes)};
        });
}

LiveCostController* installLiveCost(QMainWindow* w, const StudioContext& ctx,
                                    views::PolicyEditor* editor, QMenu* edit) {
    auto* c = new LiveCostController(ctx.jobs, ctx.policy, w);
    auto* dock = new QDockWidget(
        QCoreApplication::translate("taskquant::studio::MainWindow", "Live Cost"), w);
    dock->setObjectName(QStringLiteral("liveCostDock"));
    dock->setWidget(new LiveCostPanel(c, dock));
    w->addDockWidget(Qt::RightDockWidgetArea, dock);
    dock->hide(); // until a model is open (right-click a dock title to bring it back)
    QObject::connect(c, &LiveCostController::updated, dock, [c, dock, shown = false]() mutable {
        if (c->hasModel() && !shown) {
            shown = true;
            dock->show();
        }
    });

    auto* status = new QLabel(w);
    status->setObjectName(QStringLiteral("liveCostStatus"));
    w->statusBar()->addPermanentWidget(status);
    views::HeatmapCanvas* canvas = ctx.heatmap->canvas();
    QObject::connect(c, &LiveCostController::updated, w, [c, status, editor, canvas] {
        status->setText(c->summaryText());
        editor->setLiveCostText(c->summaryText());
        if (c->coloring() != LiveCostController::Coloring::Score)
            canvas->viewport()->update();
    });
    auto shapes = [c](const QString& n) { return c->shapeOf(n); };
    canvas->setShapeProvider(shapes);
    editor->precisionDelegate()->setShapeProvider(shapes);
    views::HeatmapView* heatmap = ctx.heatmap;
    QObject::connect(c, &LiveCostController::coloringChanged, w, [c, canvas, heatmap] {
        const bool scores = c->coloring() == LiveCostController::Coloring::Score;
        if (scores)
            canvas->setColorProvider({});
        else
            canvas->setColorProvider([c](const QString& n) { return c->cellColor(n); });
        // the colour bar shows the colouring's scale: scores, or predicted damage; hidden for
        // types (the cells name their type)
        if (auto* bar = heatmap->findChild<views::ColorBar*>()) {
            const auto& data = canvas->data();
            if (c->coloring() == LiveCostController::Coloring::Damage)
                bar->setScale(c->damageScale(),
                              QCoreApplication::translate("taskquant::studio::MainWindow",
                                                          "predicted damage (KL)"));
            else
                bar->setScale(data.scale, data.valueLabel);
            bar->setVisible(c->coloring() != LiveCostController::Coloring::Type);
        }
    });

    auto* mixes = new QMenu(
        QCoreApplication::translate("taskquant::studio::MainWindow", "Apply llama.cpp &Mix"), w);
    mixes->setObjectName(QStringLiteral("llamaMixMenu"));
    for (const std::string& n : policy::recipeNames()) {
        const QString name = QString::fromStdString(n);
        mixes->addAction(name, w, [ctx, name] { applyLlamaMix(ctx, name); });
    }
    edit->addMenu(mixes);
    canvas->setExtraMenuActions({mixes->menuAction()});
    editor->addToolMenu(
        QCoreApplication::translate("taskquant::studio::MainWindow", "llama.cpp Mix"), mixes);
    return c;
}

} // namespace taskquant::studio
