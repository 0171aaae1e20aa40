#include "app/studio/engine_actions.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QTabWidget>

#include "app/studio/engine_dialogs.h"
#include "app/studio/job_runner.h"
#include "views/heatmap_view.h"

namespace taskquant::studio {

EngineActions::EngineActions(StudioContext context, QObject* parent)
    : QObject(parent), ctx_(std::move(context)),
      exportModel_(new QAction(tr("E&xport Quantized Model…"), this)),
      fisher_(new QAction(tr("Run &Fisher…"), this)),
      magnitude_(new QAction(tr("Run &Magnitude…"), this)),
      evaluate_(new QAction(tr("&Evaluate Policy…"), this)) {
    exportModel_->setStatusTip(
        tr("Write the model under the current policy (open a model directory first)"));
    exportModel_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    fisher_->setStatusTip(
        tr("Task-aware Fisher information of the open model on calibration data"));
    magnitude_->setStatusTip(tr("Weight-magnitude map of the open model"));
    evaluate_->setStatusTip(
        tr("Perplexity, KL divergence and top-1 agreement of the current policy"));
    connect(exportModel_, &QAction::triggered, this, [this] {
        ExportDialog d(modelDir_, ctx_.choices(), ctx_.defaultPrecision(), ctx_.window);
        if (const exporting::LiveCostModel* m = ctx_.sizeModel ? ctx_.sizeModel() : nullptr)
            d.setSizeModel(*m);
        if (!lastFisher_.modelDir.isEmpty())
            d.setTaskData(lastFisher_);
        if (d.exec() == QDialog::Accepted)
            exportModel(d.request());
    });
    connect(fisher_, &QAction::triggered, this, [this] {
        FisherDialog d(modelDir_, ctx_.window);
        if (!lastFisher_.modelDir.isEmpty())
            d.setRequest(lastFisher_);
        if (d.exec() == QDialog::Accepted)
            runFisher(d.request());
    });
    connect(magnitude_, &QAction::triggered, this, [this] {
        MagnitudeDialog d(modelDir_, ctx_.window);
        if (d.exec() == QDialog::Accepted)
            runMagnitude(d.request());
    });
    connect(evaluate_, &QAction::triggered, this, [this] {
        EvaluateDialog d(modelDir_, ctx_.choices(), ctx_.defaultPrecision(), ctx_.window);
        if (d.exec() == QDialog::Accepted)
            evaluatePolicy(d.request());
    });
    actions_ << exportModel_ << fisher_ << magnitude_ << evaluate_;
    setModelDirectory(QString());
}

void EngineActions::addAnalysisActions(QMenu* analysis) {
    analysis->addAction(fisher_);
    analysis->addAction(magnitude_);
    analysis->addSeparator();
    analysis->addAction(evaluate_);
}

void EngineActions::setModelDirectory(const QString& dir) {
    modelDir_ = dir;
    for (QAction* a : actions_)
        a->setEnabled(!dir.isEmpty());
}

namespace {
// "<Kind> map of N tensor(s) ready; …" or "… written to <path>." for a map job's status line.
// Jobs that load the model share this resource: the pool never runs two of them at once.
QString modelResource(const QString& dir) {
    return QStringLiteral("model:") + dir;
}

JobReport mapReport(const QString& ready, const QString& written, const QString& savePath) {
    return {savePath.isEmpty() ? ready : written.arg(savePath), 10000};
}
} // namespace

int EngineActions::runFisher(const FisherRequest& request) {
    lastFisher_ = request;
    return ctx_.jobs->runThenReport<MapPtr>(
        QStringLiteral("fisher"),
        tr("Fisher map: %n sample(s) of %1", nullptr, request.samples).arg(request.datasetKind),
        [request](const JobControl& c) { return runFisherJob(request, c); },
        [this, request](std::shared_ptr<const MapPtr> map) {
            ctx_.addMaps({*map}, 0);
            ctx_.tabs->setCurrentWidget(ctx_.heatmap);
            const int n = int((*map)->size());
            return mapReport(
                tr("Fisher map of %n tensor(s) ready; File > Save Map As… keeps it.", nullptr, n),
                tr("Fisher map of %n tensor(s) written to %1.", nullptr, n), request.savePath);
        },
        modelResource(request.modelDir));
}

int EngineActions::runMagnitude(const MagnitudeRequest& request) {
    return ctx_.jobs->runThenReport<MapPtr>(
        QStringLiteral("magnitude"), tr("Magnitude map"),
        [request](const JobControl& c) { return runMagnitudeJob(request, c); },
        [this, request](std::shared_ptr<const MapPtr> map) {
            ctx_.addMaps({*map}, 0);
            const int n = int((*map)->size());
            return mapReport(
                tr("Magnitude map of %n tensor(s) ready; File > Save Map As… keeps it.", nullptr,
                   n),
                tr("Magnitude map of %n tensor(s) written to %1.", nullptr, n), request.savePath);
        },
        modelResource(request.modelDir));
}

int EngineActions::evaluatePolicy(const EvaluationRequest& request) {
    return ctx_.jobs->runThenReport<eval::EvaluationResult>(
        QStringLiteral("evaluate"),
        tr("Evaluating the policy on %1").arg(QFileInfo(request.textFile).fileName()),
        [request](const JobControl& c) { return runEvaluationJob(request, c); },
        [this, request](EvaluationPtr result) {
            lastEvaluation_ = result;
            for (const auto& row : result->rows)
                if (!row.baseline && ctx_.policyMeasured)
                    ctx_.policyMeasured(row.kldMean);
            if (!evaluationDialog_)
                evaluationDialog_ = new EvaluationResultDialog(ctx_.window);
            evaluationDialog_->setResult(*result, request.textFile);
            evaluationDialog_->show();
            evaluationDialog_->raise();
            return JobReport();
        },
        modelResource(request.modelDir));
}

int EngineActions::exportModel(const ExportRequest& request) {
    return ctx_.jobs->runThenReport<exporting::ModelExportResult>(
        QStringLiteral("export-model"),
        tr("Exporting %1").arg(QFileInfo(request.destination).fileName()),
        [request](const JobControl& c) { return runExportJob(request, c); },
        [request](std::shared_ptr<const exporting::ModelExportResult> r) {
            QString msg = tr("Wrote %1").arg(request.destination);
            if (r->bytes)
                msg += tr(" (%1 MiB)").arg(double(r->bytes) / 1048576.0, 0, 'f', 1);
            if (!r->notes.empty())
                msg += tr("; %n note(s), e.g. %1", nullptr, int(r->notes.size()))
                           .arg(QString::fromStdString(r->notes.front()));
            return JobReport{msg, 15000};
        });
}

} // namespace taskquant::studio
