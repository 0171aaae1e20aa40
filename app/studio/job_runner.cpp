#include "app/studio/job_runner.h"

#include "core/jobs/forward_progress.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSet>
#include <QThread>
#include <algorithm>

#include "app/studio/progress_throttle.h"
#include "core/util/error.h"

namespace taskquant::studio {

JobRunner::JobRunner(QObject* parent)
    : QObject(parent), maxConcurrent_(std::clamp(QThread::idealThreadCount(), 2, 4)) {}

JobRunner::~JobRunner() {
    QList<QPointer<QThread>> threads;
    queue_.clear();
    for (auto& j : jobs_) {
        j.cancel->cancel();
        threads.push_back(j.thread);
    }
    for (auto& t : threads)
        if (t)
            t->wait();
}

int JobRunner::start(const QString& kind, const QString& title, Work work,
                     const QString& resource) {
    const int id = nextId_++;
    QList<int> droppedWaiting;
    for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
        if (it->kind == kind && !it->superseded) {
            it->superseded = true;
            it->cancel->cancel();
            if (queue_.contains(it.key()))
                droppedWaiting << it.key();
        }
    }
    for (int old : droppedWaiting) {
        queue_.removeAll(old);
        jobs_.remove(old);
        emit jobDropped(old);
    }
    Job job;
    job.kind = kind;
    job.title = title;
    job.resource = resource;
    job.cancel = std::make_shared<taskquant::CancelToken>();
    job.work = std::move(work);
    jobs_.insert(id, job);
    queue_.push_back(id);
    emit jobStarted(id, kind, title);
    schedule();
    return id;
}

void JobRunner::setMaxConcurrent(int n) {
    maxConcurrent_ = std::max(1, n);
    schedule();
}

void JobRunner::schedule() {
    int running = 0;
    QSet<QString> busy;
    for (auto it = jobs_.constBegin(); it != jobs_.constEnd(); ++it) {
        if (!it->launched)
            continue;
        ++running;
        if (!it->resource.isEmpty())
            busy.insert(it->resource);
    }
    for (auto it = queue_.begin(); it != queue_.end();) {
        const int id = *it;
        Job& job = jobs_[id];
        if (running < maxConcurrent_ && (job.resource.isEmpty() || !busy.contains(job.resource))) {
            it = queue_.erase(it);
            if (!job.resource.isEmpty())
                busy.insert(job.resource);
            ++running;
            launch(id);
            continue;
        }
        if (job.work && !job.timer.isValid()) { // announce the wait once
            job.timer.start();
            emit jobProgress(id, 0.0,
                             running >= maxConcurrent_
                                 ? tr("Waiting for a free worker")
                                 : tr("Waiting for another job using the same model"),
                             -1);
        }
        ++it;
    }
}

void JobRunner::launch(int id) {
    Job& job = jobs_[id];
    job.launched = true;
    job.timer.start();
    auto token = job.cancel;
    Work work = std::move(job.work);
    job.work = nullptr;
    QThread* thread = QThread::create([this, id, token, work = std::move(work)] {
        auto throttle = std::make_shared<ProgressThrottle>();
        taskquant::JobControl control;
        control.cancel = token.get();
        control.progress =
            taskquant::forwardOnly([this, id, throttle](const taskquant::ProgressInfo& p) {
                if (!throttle->accept(p.fraction, p.message))
                    return;
                const double f = p.fraction;
                const QString m = QString::fromStdString(p.message);
                QMetaObject::invokeMethod(
                    this, [this, id, f, m] { onProgress(id, f, m); }, Qt::QueuedConnection);
            });
        Outcome outcome = Outcome::Done;
        Deliver deliver;
        QString error;
        try {
            deliver = work(control);
            if (token->cancelled())
                outcome = Outcome::Cancelled;
        } catch (const taskquant::Cancelled&) {
            outcome = Outcome::Cancelled;
        } catch (const std::exception& e) {
            outcome = token->cancelled() ? Outcome::Cancelled : Outcome::Failed;
            error = QString::fromUtf8(e.what());
        } catch (...) {
            outcome = Outcome::Failed;
            error = QCoreApplication::translate("JobRunner", "unknown error");
        }
        QMetaObject::invokeMethod(
            this, [this, id, outcome, deliver, error] { onEnded(id, outcome, deliver, error); },
            Qt::QueuedConnection);
    });
    thread->setObjectName(QStringLiteral("job-%1").arg(id));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    job.thread = thread;
    thread->start();
}

void JobRunner::cancel(int id) {
    const auto it = jobs_.find(id);
    if (it == jobs_.end())
        return;
    it->cancel->cancel();
    if (queue_.removeAll(id) > 0) { // never started: ends at the next event loop turn, as a
        it->work = nullptr;         // running job's end is announced
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                jobs_.remove(id);
                emit jobCancelled(id);
            },
            Qt::QueuedConnection);
    }
}

void JobRunner::cancelAll() {
    const QList<int> waiting = queue_;
    for (int id : waiting)
        cancel(id);
    for (auto& j : jobs_)
        j.cancel->cancel();
}

bool JobRunner::waitForIdle(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!jobs_.isEmpty() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return jobs_.isEmpty();
}

void JobRunner::onProgress(int id, double fraction, const QString& message) {
    const auto it = jobs_.find(id);
    if (it == jobs_.end() || it->superseded || it->cancel->cancelled())
        return;
    emit jobProgress(id, fraction, message,
                     estimateSecondsLeft(fraction, double(it->timer.elapsed()) / 1000.0));
}

void JobRunner::onEnded(int id, Outcome outcome, const Deliver& deliver, const QString& error) {
    const auto it = jobs_.find(id);
    if (it == jobs_.end())
        return;
    const Job job = *it;
    jobs_.erase(it);
    if (job.thread)
        job.thread->wait(); // the worker is returning; join it before anything else
    if (job.superseded) {
        emit jobDropped(id);
    } else if (outcome == Outcome::Cancelled ||
               (outcome == Outcome::Done && job.cancel->cancelled())) {
        emit jobCancelled(id);
    } else if (outcome == Outcome::Failed) {
        emit jobFailed(id, job.title, error);
    } else {
        deliveredReport_.clear();
        if (deliver)
            deliver();
        emit jobResult(id,
                       deliveredReport_.isEmpty()
                           ? tr("Done in %1 s").arg(double(job.timer.elapsed()) / 1000.0, 0, 'f', 1)
                           : deliveredReport_);
        emit jobFinished(id);
    }
    schedule();
}

} // namespace taskquant::studio
