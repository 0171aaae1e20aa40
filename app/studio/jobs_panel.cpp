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
    : QWidget(parent), runner_(runner), list_(new QVBoxLayout), empty_(new QLabel(this)) {
    empty_->setText(tr("No jobs running."));
    empty_->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(empty_);
    layout->addLayout(list_);
    layout->addStretch(1);
    connect(runner_, &JobRunner::jobStarted, this,
            [this](int id, const QString&, const QString& title) { addRow(id, title); });
    connect(runner_, &JobRunner::jobProgress, this, &JobsPanel::updateRow);
    for (auto signal : {&JobRunner::jobFinished, &JobRunner::jobCancelled, &JobRunner::jobDropped})
        connect(runner_, signal, this, &JobsPanel::removeRow);
    connect(runner_, &JobRunner::jobFailed, this, [this](int id) { removeRow(id); });
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
    empty_->setVisible(false);
}

void JobsPanel::updateRow(int id, double fraction, const QString& message, double secondsLeft) {
    QWidget* row = rows_.value(id);
    if (!row)
        return;
    row->findChild<QProgressBar*>(QStringLiteral("bar"))->setValue(int(std::lround(fraction * 1000)));
    const QString left = formatTimeLeft(secondsLeft);
    row->findChild<QLabel*>(QStringLiteral("status"))
        ->setText(left.isEmpty() ? message : QStringLiteral("%1 — %2").arg(message, left));
}

void JobsPanel::removeRow(int id) {
    if (QWidget* row = rows_.take(id))
        row->deleteLater();
    empty_->setVisible(rows_.isEmpty());
}

} // namespace taskquant::studio
