#include "app/studio/frontier_actions.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QTabWidget>

#include "app/studio/engine_jobs.h"
#include "app/studio/frontier_dialogs.h"
#include "app/studio/job_runner.h"
#include "app/studio/map_roles.h"
#include "views/frontier_view.h"
#include "views/heatmap_view.h"
#include "views/map_list_model.h"
#include "views/plot_export.h"
#include "views/policy_model.h"
#include "views/validation_view.h"

namespace taskquant::studio {

FrontierActions::FrontierActions(StudioContext context, QObject* parent)
    : QObject(parent), ctx_(std::move(context)), view_(new views::FrontierView),
      validation_(new views::ValidationView), compute_(new QAction(tr("Compute &Frontier…"), this)),
      measure_(new QAction(tr("Evaluate &Current Policy on the Frontier's Task"), this)),
      validate_(new QAction(tr("&Validate Damage Model…"), this)) {
    view_->setObjectName(QStringLiteral("frontierView"));
    validation_->setObjectName(QStringLiteral("validationView"));
    ctx_.tabs->addTab(view_, tr("Frontier"));
    ctx_.tabs->addTab(validation_, tr("Damage Validation"));
    compute_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    validate_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    compute_->setStatusTip(tr("Size-quality frontier of the open model: uniform types, llama.cpp "
                              "mixes and optimal allocations evaluated on a task text"));
    measure_->setStatusTip(tr("Measure the current policy on the frontier's task text instead of "
                              "predicting it"));
    validate_->setStatusTip(tr("Predicted vs measured damage of single tensors (the damage "
                               "model's check) for the heatmap's map"));
    connect(compute_, &QAction::triggered, this, &FrontierActions::askFrontier);
    connect(measure_, &QAction::triggered, this, &FrontierActions::measureCurrentPolicy);
    connect(validate_, &QAction::triggered, this, &FrontierActions::askValidate);
    connect(view_, &views::FrontierView::computeRequested, this, &FrontierActions::askFrontier);
    connect(view_, &views::FrontierView::evaluateCurrentRequested, this,
            &FrontierActions::measureCurrentPolicy);
    connect(view_, &views::FrontierView::pointActivated, this, &FrontierActions::loadPoint);
    connect(view_, &views::FrontierView::exportRequested, this, [this] {
        const QString f = QFileDialog::getSaveFileName(ctx_.window, tr("Export Plot"), QString(),
                                                       views::plotExportFilter());
        if (!f.isEmpty()) {
            ctx_.tabs->setCurrentWidget(view_);
            ctx_.exportPlot(f);
        }
    });
    connect(validation_, &views::ValidationView::runRequested, this, &FrontierActions::askValidate);
    connect(ctx_.policy, &views::PolicyModel::choicesChanged, this,
            &FrontierActions::updateLivePoint);
    actions_ << compute_ << measure_ << validate_;
    setModelDirectory(QString());
}

void FrontierActions::addAnalysisActions(QMenu* analysis) {
    analysis->addSeparator();
    analysis->addAction(compute_);
    analysis->addAction(measure_);
    analysis->addAction(validate_);
}

void FrontierActions::setModelDirectory(const QString& dir) {
    modelDir_ = dir;
    updateEnabled();
}

void FrontierActions::updateEnabled() {
    const bool model = !modelDir_.isEmpty();
    compute_->setEnabled(model);
    measure_->setEnabled(model && frontier_);
    validate_->setEnabled(model);
    view_->setActionsEnabled(model, model && frontier_);
    validation_->setRunEnabled(model);
}

void FrontierActions::askFrontier() {
    const std::vector<MapPtr> maps = ctx_.maps->maps();
    const MapRoles roles = guessMapRoles(maps);
    const MapPtr primary = ctx_.heatmap->map();
    std::vector<bool> checked;
    for (std::size_t i = 0; i < maps.size(); ++i)
        checked.push_back(maps[i] == primary || int(i) == roles.magnitude);
    FrontierDialog d(modelDir_, maps, checked, ctx_.window);
    if (lastFrontier_)
        d.setRequest(*lastFrontier_);
    if (d.exec() == QDialog::Accepted)
        computeFrontier(d.request());
}

void FrontierActions::askValidate() {
    const MapPtr map = ctx_.heatmap->map();
    ValidateDialog d(modelDir_, map ? views::MapListModel::labelOf(*map) : QString(), ctx_.window);
    if (d.exec() == QDialog::Accepted)
        validate(d.request());
}

int FrontierActions::computeFrontier(FrontierRequest request) {
    if (!request.predictionMap) {
        request.predictionMap = ctx_.heatmap->map();
        // The prediction needs the scores of the model's tensors; a map of another model (or
        // none) leaves the flat scores of the error-only family.
        bool any = false;
        for (const MapPtr& m : request.maps)
            any = any || m == request.predictionMap;
        if (!any)
            request.predictionMap = request.maps.empty() ? nullptr : request.maps.front();
    }
    lastFrontier_ = request;
    // The predicted frontier is shown as soon as the engine has it (before any evaluation), if
    // this job still runs then; the measured one replaces it.
    auto jobId = std::make_shared<int>(0);
    const int id = ctx_.jobs->runThenReport<FrontierData>(
        QStringLiteral("frontier"), tr("Frontier on %1").arg(request.task.describe()),
        [request, this, jobId](const JobControl& c) {
            return runFrontierJob(request, c, [this, jobId, &c](auto f) {
                if (c.cancelled())
                    return;
                QMetaObject::invokeMethod(
                    this,
                    [this, jobId, f] {
                        if (*jobId > 0 && ctx_.jobs->isRunning(*jobId))
                            setFrontier(f);
                    },
                    Qt::QueuedConnection);
            });
        },
        [this](std::shared_ptr<const FrontierData> f) {
            setFrontier(f);
            ctx_.tabs->setCurrentWidget(view_);
            return JobReport{
                tr("Frontier of %n point(s) ready (%1 s).", nullptr, int(f->points.size()))
                    .arg(f->seconds, 0, 'f', 1),
                10000};
        });
    *jobId = id;
    return id;
}

void FrontierActions::setFrontier(std::shared_ptr<const FrontierData> f) {
    frontier_ = std::move(f);
    measured_.reset();
    // its Fisher-weighted error table puts the live cost's prediction in KL units
    if (frontier_ && frontier_->errors && ctx_.damageTable)
        ctx_.damageTable(frontier_->errors);
    QStringList notes;
    if (frontier_) {
        if (!frontier_->infeasible.isEmpty()) // one line; the reasons in its tooltip
            notes << tr("%n budget(s) infeasible (hover for the reasons): %1", nullptr,
                        int(frontier_->infeasible.size()))
                         .arg(frontier_->infeasible.front().section(QLatin1Char(':'), 1).trimmed());
        notes << tr("%1 windows, %2 scored tokens, %3 parameters; %4 s. Prediction scale "
                    "(measured KLD / damage): %5.")
                     .arg(frontier_->chunks)
                     .arg(frontier_->tokens)
                     .arg(frontier_->parameters)
                     .arg(frontier_->seconds, 0, 'f', 1)
                     .arg(frontier_->scale > 0 ? QString::number(frontier_->scale, 'g', 3)
                                               : tr("none (no measured damage)"));
        if (!frontier_->uniformBase.isEmpty())
            notes << tr("Uniform family: %1.").arg(frontier_->uniformBase);
        if (!frontier_->source.isEmpty())
            notes << frontier_->source;
        view_->setPoints(frontier_->points, frontier_->title, notes.join(QLatin1Char('\n')),
                         frontier_->infeasible.join(QLatin1Char('\n')));
    } else {
        view_->setPoints({}, QString());
    }
    updateEnabled();
    updateLivePoint();
}

void FrontierActions::updateLivePoint() {
    if (!frontier_ || frontier_->shapes.empty()) { // none, or opened from a file (no shapes)
        view_->setCurrentPoint(std::nullopt);
        return;
    }
    const Choices choices = ctx_.choices();
    if (measured_ && measuredChoices_ == choices && measuredDefault_ &&
        *measuredDefault_ == ctx_.defaultPrecision()) {
        view_->setCurrentPoint(measured_);
        return;
    }
    const policy::Policy p = makePolicy(choices, ctx_.defaultPrecision(), nullptr);
    const int same = matchingPoint(p, *frontier_);
    if (same >= 0) { // a frontier policy: its measurement is this policy's
        views::FrontierPointData d = frontier_->points[std::size_t(same)];
        d.label = tr("current policy (= %1, measured)").arg(d.label);
        d.kind = QStringLiteral("current");
        d.signal = QStringLiteral("none");
        view_->setCurrentPoint(d);
        return;
    }
    view_->setCurrentPoint(predictedPoint(p, *frontier_));
}

int FrontierActions::measureCurrentPolicy() {
    if (!frontier_)
        return 0;
    const Choices choices = ctx_.choices();
    const quant::Precision def = ctx_.defaultPrecision();
    const policy::Policy p = makePolicy(choices, def, nullptr);
    const TaskChoice task = frontier_->task;
    return ctx_.jobs->runThenReport<views::FrontierPointData>(
        QStringLiteral("frontier-measure"),
        tr("Evaluating the current policy on %1").arg(task.describe()),
        [p, task](const JobControl& c) { return measurePolicyJob(p, task, c); },
        [this, choices, def](std::shared_ptr<const views::FrontierPointData> m) {
            measured_ = *m;
            measuredChoices_ = choices;
            measuredDefault_ = def;
            updateLivePoint();
            return JobReport{tr("Current policy measured: KLD %1, %2 bpw.")
                                 .arg(m->kld, 0, 'g', 4)
                                 .arg(m->bitsPerWeight, 0, 'f', 3),
                             10000};
        });
}

bool FrontierActions::loadPoint(int index) {
    if (!frontier_ || index < 0 || index >= int(frontier_->policies.size()))
        return false;
    const Choices c = choicesForPolicy(frontier_->policies[std::size_t(index)], *frontier_,
                                       ctx_.defaultPrecision());
    ctx_.policy->replaceAll(
        c, tr("Load frontier point %1").arg(frontier_->points[std::size_t(index)].label));
    return true;
}

int FrontierActions::validate(ValidationRequest request) {
    if (!request.map)
        request.map = ctx_.heatmap->map();
    return ctx_.jobs->runThenReport<ValidationData>(
        QStringLiteral("validate"), tr("Validating the damage model at %1").arg(request.precision),
        [request](const JobControl& c) { return runValidationJob(request, c); },
        [this](std::shared_ptr<const ValidationData> v) {
            validation_->setResult(v->summary, v->rows);
            ctx_.tabs->setCurrentWidget(validation_);
            return JobReport{
                tr("Damage model validated on %n tensor(s).", nullptr, int(v->rows.size())), 10000};
        });
}

} // namespace taskquant::studio
