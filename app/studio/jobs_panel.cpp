#include "app/studio/jobs_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <cmath>

#include "app/studio/job_runner.h"

namespace taskquant::studio {

QString formatTimeLeft(double s) {
    if (s < 0 || !std::isfinite(s))
        return {};
    const long total = std::lround(s);
    if (total >= 3600)
        return JobsPanel::tr("%1 h %2 min left").arg(total / 3600).arg((total % 3600) / 60);
    if (total >= 60)
        return JobsPanel::tr("%1 min %2 s left").arg(total / 60).arg(total % 60);
    return JobsPanel::tr("%1 s left").arg(total);
}

JobsPanel::JobsPanel(JobRunner* runner, QWidget* parent)
    : QWidget(parent), runner_(runner), list_(new QVBoxLayout), empty_(new QLabel(this)),
      clear_(new QPushButton(tr("Clear Finished"), this)) {
    empty_->setText(tr("No jobs running."));
    empty_->setEnabled(false);
    clear_->setObjectName(QStringLiteral("clearFinished"));
    clear_->setEnabled(false);
    connect(clear_, &QPushButton::clicked, this, &JobsPanel::clearFinished);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(clear_, 0, Qt::AlignRight);
    layout->addWidget(empty_);
    layout->addLayout(list_);
    layout->addStretch(1);
    connect(runner_, &JobRunner::jobStarted, this,
            [this](int id, const QString&, const QString& title) { addRow(id, title); });
    connect(runner_, &JobRunner::jobProgress, this, &JobsPanel::updateRow);
    connect(runner_, &JobRunner::jobResult, this, &JobsPanel::finishRow);
    connect(runner_, &JobRunner::jobFinished, this, [this](int id) { finishRow(id, tr("Done")); });
    connect(runner_, &JobRunner::jobCancelled, this,
            [this](int id) { finishRow(id, tr("Cancelled; nothing was written")); });
    connect(runner_, &JobRunner::jobDropped, this, &JobsPanel::removeRow);
    connect(runner_, &JobRunner::jobFailed, this, [this](int id, const QString&, const QString& m) {
        finishRow(id, tr("Failed: %1").arg(m));
    });
}

void JobsPanel::addRow(int id, const QString& title) {
    auto* row = new QWidget(this);
    auto* grid = new QGridLayout(row);
    grid->setContentsMargins(0, 2, 0, 2);
    auto* name = new QLabel(title, row);
    auto* bar = new QProgressBar(row);
    bar->setRange(0, 1000);
    bar->setValue(0);
    bar->setTextVisible(false);
    bar->setObjectName(QStringLiteral("bar"));
    auto* status = new QLabel(row);
    status->setObjectName(QStringLiteral("status"));
    // Long titles and messages never widen the dock (and with it the window): the labels take
    // the width they are given, cut at the edge; the whole text is in the tooltip.
    for (QLabel* l : {name, status}) {
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        l->setMinimumWidth(1);
    }
    name->setToolTip(title);
    auto* cancel = new QPushButton(tr("Cancel"), row);
    cancel->setObjectName(QStringLiteral("cancel"));
    cancel->setToolTip(tr("Stop this job; nothing partial is written"));
    connect(cancel, &QPushButton::clicked, this, [this, id, cancel, status] {
        runner_->cancel(id);
        cancel->setEnabled(false);
        status->setText(tr("Cancelling…"));
    });
    grid->addWidget(name, 0, 0, 1, 2);
    grid->addWidget(bar, 1, 0);
    grid->addWidget(cancel, 1, 1);
    grid->addWidget(status, 2, 0, 1, 2);
    list_->addWidget(row);
    rows_.insert(id, row);
    updateEmpty();
}

void JobsPanel::updateRow(int id, double fraction, const QString& message, double secondsLeft) {
    QWidget* row = rows_.value(id);
    if (!row)
        return;
    row->findChild<QProgressBar*>(QStringLiteral("bar"))
        ->setValue(int(std::lround(fraction * 1000)));
    const QString left = formatTimeLeft(secondsLeft);
    auto* status = row->findChild<QLabel*>(QStringLiteral("status"));
    status->setText(left.isEmpty() ? message : QStringLiteral("%1 — %2").arg(message, left));
    status->setToolTip(status->text());
}

void JobsPanel::removeRow(int id) {
    if (QWidget* row = rows_.take(id))
        row->deleteLater();
    finished_.remove(id);
    updateEmpty();
}

void JobsPanel::finishRow(int id, const QString& line) {
    QWidget* row = rows_.value(id);
    if (!row || finished_.contains(id))
        return;
    finished_.insert(id);
    auto* bar = row->findChild<QProgressBar*>(QStringLiteral("bar"));
    bar->setValue(bar->maximum());
    bar->setEnabled(false);
    row->findChild<QPushButton*>(QStringLiteral("cancel"))->hide();
    auto* status = row->findChild<QLabel*>(QStringLiteral("status"));
    status->setText(line.section(QLatin1Char('\n'), 0, 0));
    status->setToolTip(line);
    updateEmpty();
}

QString JobsPanel::resultLine(int id) const {
    QWidget* row = rows_.value(id);
    return row && finished_.contains(id) ? row->findChild<QLabel*>(QStringLiteral("status"))->text()
                                         : QString();
}

void JobsPanel::clearFinished() {
    const QList<int> ids(finished_.begin(), finished_.end());
    for (int id : ids)
        removeRow(id);
}

void JobsPanel::updateEmpty() {
    empty_->setVisible(rows_.size() == finished_.size());
    clear_->setEnabled(!finished_.isEmpty());
}

} // namespace taskquant::studio
