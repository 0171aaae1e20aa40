#pragma once
// EngineActions: the engine half of the main window. It owns the actions Run Fisher, Run
// Magnitude and Evaluate Policy (the Analysis menu) and Export Quantized Model (the File menu),
// their dialogs, the jobs they start on the window's JobRunner and what their results do: a new
// map joins the project and becomes the heatmap's (Fisher) or the scatter's magnitude map, an
// evaluation opens the non-modal result table, an export reports what it wrote in the status
// line. The actions are enabled only while a model directory is open (setModelDirectory()).
// Failures reach the window's message bar through JobRunner::jobFailed. What it needs of the
// window comes in a StudioContext (studio_context.h). GUI thread only.
#include <QList>
#include <QObject>
#include <QString>

#include "app/studio/engine_jobs.h"
#include "app/studio/studio_context.h"

class QAction;
class QMenu;

namespace taskquant::studio {

class EvaluationResultDialog;

class EngineActions : public QObject {
    Q_OBJECT
  public:
    EngineActions(StudioContext context, QObject* parent);

    // Export Quantized Model first, then Run Fisher, Run Magnitude, Evaluate Policy.
    QList<QAction*> actions() const { return actions_; }
    QAction* exportModelAction() const { return exportModel_; }
    // Appends Run Fisher, Run Magnitude, a separator and Evaluate Policy.
    void addAnalysisActions(QMenu* analysis);
    void setModelDirectory(const QString& dir);

    // The jobs (each returns the job id); the actions build the request with a dialog first.
    int runFisher(const FisherRequest& request);
    int runMagnitude(const MagnitudeRequest& request);
    int evaluatePolicy(const EvaluationRequest& request);
    int exportModel(const ExportRequest& request);

    EvaluationPtr lastEvaluation() const { return lastEvaluation_; }
    EvaluationResultDialog* evaluationDialog() const { return evaluationDialog_; }

  private:
    StudioContext ctx_;
    QString modelDir_;
    QAction* exportModel_;
    QAction* fisher_;
    QAction* magnitude_;
    QAction* evaluate_;
    QList<QAction*> actions_;
    FisherRequest lastFisher_;
    EvaluationPtr lastEvaluation_;
    EvaluationResultDialog* evaluationDialog_ = nullptr;
};

} // namespace taskquant::studio
