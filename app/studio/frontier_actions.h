#pragma once
// FrontierActions: the frontier and validation half of the main window. It owns the tabs
// "Frontier" (views/frontier_view.h) and "Damage Validation" (views/validation_view.h), the
// Analysis actions Compute Frontier, Evaluate Current Policy on the Frontier's Task and
// Validate Damage Model with their dialogs, and the jobs they start on the window's JobRunner
// (frontier_jobs.h).
//  * A finished frontier fills the Frontier tab; the current policy (the editor's choices over
//    the default precision) is a live point there, re-placed on every policy change: its size
//    exact, its KLD predicted (damage model x the scale fitted to the frontier's measured
//    points) until Evaluate measures that very policy; then it shows the measurement until the
//    policy changes again.
//  * Clicking a frontier point (or double-clicking its row) replaces the editor's choices with
//    that policy's as one undoable step (Edit > Undo restores the previous choices).
//  * Validation runs `validate` with the heatmap's map and shows the scatter.
// The actions are enabled only while a model directory is open. What it needs of the window
// comes in a StudioContext (studio_context.h). GUI thread only.
#include <QList>
#include <QObject>
#include <QString>
#include <memory>

#include "app/studio/frontier_jobs.h"
#include "app/studio/studio_context.h"

class QAction;
class QMenu;

namespace taskquant::views {
class FrontierView;
class ValidationView;
} // namespace taskquant::views

namespace taskquant::studio {

class FrontierActions : public QObject {
    Q_OBJECT
  public:
    // Adds the Frontier and Damage Validation tabs to context.tabs.
    FrontierActions(StudioContext context, QObject* parent);

    // A separator, Compute Frontier, Evaluate Current Policy, Validate Damage Model.
    void addAnalysisActions(QMenu* analysis);
    void setModelDirectory(const QString& dir);
    QList<QAction*> actions() const { return actions_; }

    // Jobs (each returns the job id); the actions build the request with a dialog first.
    // computeFrontier fills request.predictionMap with the heatmap's map when it is unset.
    int computeFrontier(FrontierRequest request);
    int measureCurrentPolicy();
    // request.map unset: the heatmap's map.
    int validate(ValidationRequest request);
    // Loads point `index` of the frontier into the policy editor (one undo step); false when
    // there is no such point.
    bool loadPoint(int index);
    // Tests: installs a frontier as if a job had delivered it.
    void setFrontier(std::shared_ptr<const FrontierData> frontier);

    std::shared_ptr<const FrontierData> frontier() const { return frontier_; }
    views::FrontierView* frontierView() const { return view_; }
    views::ValidationView* validationView() const { return validation_; }

  private:
    void updateLivePoint();
    void updateEnabled();
    void askFrontier();
    void askValidate();

    StudioContext ctx_;
    views::FrontierView* view_;
    views::ValidationView* validation_;
    QAction *compute_, *measure_, *validate_;
    QList<QAction*> actions_;
    QString modelDir_;
    std::shared_ptr<const FrontierData> frontier_;
    std::optional<views::FrontierPointData> measured_;
    Choices measuredChoices_;
    std::optional<quant::Precision> measuredDefault_;
    std::optional<FrontierRequest> lastFrontier_;
};

} // namespace taskquant::studio
