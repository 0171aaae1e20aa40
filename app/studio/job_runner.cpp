#include "app/studio/job_runner.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>

#include "app/studio/progress_throttle.h"
#include "core/util/error.h"

namespace taskquant::studio {

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner() {
    QList<QPointer<QThread>> threads;
    for (auto& j : jobs_) {
        j.cancel->cancel();
        threads.push_back(j.thread);
    }
    for (auto& t : threads)
        if (t)
            t->wait();
}

int JobRunner::start(const QString& kind, const QString& title, Work work) {
    const int id = nextId_++;
    for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
        if (it->kind == kind && !it->superseded) {
            it->superseded = true;
            it->cancel->cancel();
        }
    }
    Job job;
    job.kind = kind;
    job.title = title;
    job.cancel = std::make_shared<taskquant::CancelToken>();
    job.timer.start();
    auto token = job.cancel;
    QThread* thread = QThread::create([this, id, token, work = std::move(work)] {
        auto throttle = std::make_shared<ProgressThrottle>();
        taskquant::JobControl control;
        control.cancel = token.get();
        control.progress = [this, id, throttle](const taskquant::ProgressInfo& p) {
            if (!throttle->accept(p.fraction, p.message))
                return;
            const double f = p.fraction;
            const QString m = QString::fromStdString(p.message);
            QMetaObject::invokeMethod(
                this, [this, id, f, m] { onProgress(id, f, m); }, Qt::QueuedConnection);
        };
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
    jobs_.insert(id, job);
    emit jobStarted(id, kind, title);
    thread->start();
    return id;
}

void JobRunner::cancel(int id) {
    const auto it = jobs_.find(id);
    if (it != jobs_.end())
        it->cancel->cancel();
}

void JobRunner::cancelAll() {
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
    } else if (outcome == Outcome::Cancelled || (outcome == Outcome::Done && job.cancel->cancelled())) {
        emit jobCancelled(id);
    } else if (outcome == Outcome::Failed) {
        emit jobFailed(id, job.title, error);
    } else {
        if (deliver)
            deliver();
        emit jobFinished(id);
    }
}

} // namespace taskquant::studio
