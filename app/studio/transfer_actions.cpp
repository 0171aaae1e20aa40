#include "app/studio/transfer_actions.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include "app/studio/dialog_parts.h"
#include "app/studio/job_runner.h"
#include "core/export/live_cost.h"
#include "views/map_list_model.h"
#include "views/policy_model.h"
#include "views/transfer_view.h"

namespace taskquant::studio {

TransferActions::TransferActions(StudioContext context, QObject* parent)
    : QObject(parent), ctx_(std::move(context)), view_(new views::TransferView),
      compute_(new QAction(tr("Compute Task &Transfer…"), this)) {
    view_->setObjectName(QStringLiteral("transferView"));
    ctx_.tabs->addTab(view_, tr("Task Transfer"));
    compute_->setStatusTip(tr("Does a policy built for a task keep that task better than other "
                              "policies of the same size? Every policy evaluated on every task"));
    connect(compute_, &QAction::triggered, this, &TransferActions::askTransfer);
    connect(view_, &views::TransferView::computeRequested, this, &TransferActions::askTransfer);
    connect(view_, &views::TransferView::policyActivated, this, &TransferActions::loadPolicy);
    actions_ << compute_;
    setModelDirectory(QString());
}

void TransferActions::addAnalysisActions(QMenu* analysis) {
    analysis->addAction(compute_);
}

void TransferActions::setModelDirectory(const QString& dir) {
    modelDir_ = dir;
    updateEnabled();
}

void TransferActions::updateEnabled() {
    compute_->setEnabled(!modelDir_.isEmpty());
    view_->setActionsEnabled(!modelDir_.isEmpty());
}

void TransferActions::askTransfer() {
    TransferRequest r = last_ ? *last_ : TransferRequest{};
    QDialog d(ctx_.window);
    d.setWindowTitle(tr("Compute Task Transfer"));
    auto* tasks = new QPlainTextEdit(r.tasks.join(QLatin1Char('\n')));
    tasks->setToolTip(tr("One task per line: NAME=KIND:PATH (gsm8k, math, wikitext, jsonl, text) "
                         "or NAME=KIND for the generated demo tasks (arithmetic, algebra, "
                         "stories)"));
    tasks->setMaximumHeight(90);
    auto* general = new QLineEdit(r.general);
    general->setPlaceholderText(tr("none (e.g. wikitext:wiki.test.raw)"));
    auto* bits = new QLineEdit(r.bits);
    bits->setToolTip(tr("Budgets in bits per weight, comma separated"));
    const auto spin = [](int value, int lo, int hi) {
        auto* s = new QSpinBox;
        s->setRange(lo, hi);
        s->setValue(value);
        return s;
    };
    auto* calib = spin(r.calibrationSamples, 2, 100000);
    auto* held = spin(r.heldOutSamples, 2, 100000);
    auto* ctx = spin(r.ctx, 8, 1 << 20);
    auto* windows = spin(r.windows, 0, 1 << 20);
    windows->setSpecialValueText(tr("all"));
    auto* answers = spin(r.answerProblems, 0, 100000);
    auto* recipes =
        new QCheckBox(tr("llama.cpp's nearest mix, with each task's importance matrix"));
    recipes->setChecked(r.recipes);
    QComboBox* device = deviceBox(&d);
    device->setCurrentText(r.device);
    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), modelLabel(modelDir_, &d));
    form->addRow(tr("Tasks:"), tasks);
    form->addRow(tr("General text:"), general);
    form->addRow(tr("Budgets (bpw):"), bits);
    form->addRow(tr("Calibration samples per task:"), calib);
    form->addRow(tr("Held-out samples per task:"), held);
    form->addRow(tr("Tokens per window:"), ctx);
    form->addRow(tr("Windows per task:"), windows);
    form->addRow(tr("Answer problems per task:"), answers);
    form->addRow(QString(), recipes);
    form->addRow(tr("Device:"), device);
    auto* layout = new QVBoxLayout(&d);
    layout->addLayout(form);
    layout->addWidget(okCancel(&d, tr("Compute")));
    if (d.exec() != QDialog::Accepted)
        return;
    r.tasks = tasks->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    r.general = general->text().trimmed();
    r.bits = bits->text().trimmed();
    r.calibrationSamples = calib->value();
    r.heldOutSamples = held->value();
    r.ctx = ctx->value();
    r.windows = windows->value();
    r.answerProblems = answers->value();
    r.recipes = recipes->isChecked();
    r.device = device->currentText();
    computeTransfer(r);
}

int TransferActions::computeTransfer(TransferRequest request) {
    if (request.modelDir.isEmpty())
        request.modelDir = modelDir_;
    last_ = request;
    return ctx_.jobs->runThenReport<TransferData>(
        QStringLiteral("transfer"),
        tr("Task transfer on %1").arg(request.tasks.join(QStringLiteral(", "))),
        [request](const JobControl& c) { return runTransferJob(request, c); },
        [this](std::shared_ptr<const TransferData> t) {
            setTransfer(t);
            ctx_.tabs->setCurrentWidget(view_);
            return JobReport{tr("Task transfer ready: %n cell(s).", nullptr, int(t->cells.size())),
                             10000};
        });
}

void TransferActions::setTransfer(std::shared_ptr<const TransferData> t) {
    data_ = std::move(t);
    if (data_)
        view_->setResult(data_->cells, data_->verdicts, data_->title, data_->notes);
    else
        view_->setResult({}, {}, QString());
    updateEnabled();
}

bool TransferActions::loadPolicy(const QString& label) {
    if (!data_)
        return false;
    const policy::Policy* p = data_->policyOf(label);
    if (!p)
        return false;
    // The tensors the editor knows: the open model's layout, else the maps' names.
    QStringList names;
    if (const exporting::LiveCostModel* m = ctx_.sizeModel ? ctx_.sizeModel() : nullptr)
        for (const auto& t : m->tensors)
            names << QString::fromStdString(t.name);
    if (names.isEmpty() && ctx_.maps)
        for (const MapPtr& map : ctx_.maps->maps())
            for (const auto& e : map->entries())
                if (const QString n = QString::fromStdString(e.name); !names.contains(n))
                    names << n;
    const Choices c = choicesForTransferPolicy(*p, names, ctx_.defaultPrecision());
    ctx_.policy->replaceAll(c, tr("Load task-transfer policy %1").arg(label));
    return true;
}

} // namespace taskquant::studio
