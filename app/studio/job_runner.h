#pragma once
// JobRunner: the one way the GUI runs engine work. Each job runs on its own worker thread with
// a taskquant::JobControl (progress callback + CancelToken, core/jobs/progress.h), so any core
// algorithm plugs in as a std::function. Contract:
//  * progress is throttled on the worker (ProgressThrottle: changes under 0.1 % dropped) and
//    reaches the GUI thread by queued call as jobProgress(), with the estimated time left;
//  * cancel(id) sets the job's atomic cancel flag; the algorithm stops at its next check() and
//    the job ends with jobCancelled() - its result is never delivered;
//  * a job returns a "deliver" closure holding its immutable result; it runs on the GUI thread,
//    then jobFinished() is emitted;
//  * starting a job of a kind that is already running cancels the older one and drops its
//    result (jobDropped()) even if it completes: stale results never reach the views;
//  * an exception ends the job with jobFailed(message) (taskquant::Error text as is);
//  * runThenReport(): after a job's result was handled, the JobReport the handler returned is
//    emitted as jobReported() (the main window shows it in its status line).
//  * one bounded pool: at most maxConcurrent() jobs run at once (default: the ideal thread
//    count, clamped to 2..4); the others wait in start order. Jobs that name the same
//    `resource` (e.g. "model:<dir>" for jobs that load that model) never run at the same time,
//    so a model is not loaded twice at once. A waiting job is announced (jobStarted, then
//    jobProgress(0, "Waiting for ...")) and can be cancelled or superseded like a running one;
//  * a finished job's one-line result (its JobReport message, or "Done") is emitted as
//    jobResult() right before jobFinished().
// Every signal is emitted on the GUI thread. The destructor cancels and joins all jobs.
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>

#include "core/jobs/progress.h"

class QThread;

namespace taskquant::studio {

// What a finished job tells the user: a status line shown for timeoutMs (none when empty).
struct JobReport {
    QString message;
    int timeoutMs = 5000;
};

class JobRunner : public QObject {
    Q_OBJECT
  public:
    using Deliver = std::function<void()>;
    using Work = std::function<Deliver(const taskquant::JobControl&)>;

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    // Returns the job id (> 0).
    int start(const QString& kind, const QString& title, Work work,
              const QString& resource = QString());
    // Typed convenience: `work` produces a value on the worker; `onResult` receives it (as an
    // immutable shared snapshot) on the GUI thread.
    template <class R>
    int run(const QString& kind, const QString& title,
            std::function<R(const taskquant::JobControl&)> work,
            std::function<void(std::shared_ptr<const R>)> onResult,
            const QString& resource = QString()) {
        return start(
            kind, title,
            [work = std::move(work),
             onResult = std::move(onResult)](const taskquant::JobControl& c) -> Deliver {
                auto result = std::make_shared<const R>(work(c));
                return [onResult, result] { onResult(result); };
            },
            resource);
    }

    // run() for jobs that report: `onResult` handles the result on the GUI thread and returns
    // what to tell the user, emitted as jobReported() right after it (before jobFinished()).
    template <class R>
    int runThenReport(const QString& kind, const QString& title,
                      std::function<R(const taskquant::JobControl&)> work,
                      std::function<JobReport(std::shared_ptr<const R>)> onResult,
                      const QString& resource = QString()) {
        return run<R>(
            kind, title, std::move(work),
            [this, onResult = std::move(onResult)](std::shared_ptr<const R> result) {
                const JobReport report = onResult(std::move(result));
                deliveredReport_ = report.message;
                if (!report.message.isEmpty())
                    emit jobReported(report.message, report.timeoutMs);
            },
            resource);
    }

    void cancel(int id);
    void cancelAll();
    // Running or waiting.
    bool isRunning(int id) const { return jobs_.contains(id); }
    int runningCount() const { return int(jobs_.size()); }
    bool isWaiting(int id) const { return queue_.contains(id); }
    int maxConcurrent() const { return maxConcurrent_; }
    void setMaxConcurrent(int n);
    // Blocks (processing events) until no job runs or the timeout passes; true if none runs.
    bool waitForIdle(int timeoutMs);

  signals:
    void jobStarted(int id, const QString& kind, const QString& title);
    // fraction 0..1; secondsLeft < 0 when unknown.
    void jobProgress(int id, double fraction, const QString& message, double secondsLeft);
    void jobFinished(int id);
    void jobFailed(int id, const QString& title, const QString& message);
    void jobCancelled(int id);
    void jobDropped(int id);
    // A finished job's message for the user (runThenReport()), shown for timeoutMs.
    void jobReported(const QString& message, int timeoutMs);
    // A finished job's one-line result, right before jobFinished().
    void jobResult(int id, const QString& line);

  private:
    struct Job {
        QString kind, title;
        std::shared_ptr<taskquant::CancelToken> cancel;
        QPointer<QThread> thread;
        QElapsedTimer timer;
        bool superseded = false;
        QString resource;
        Work work; // until it starts
        bool launched = false;
    };
    enum class Outcome { Done, Cancelled, Failed };
    void onProgress(int id, double fraction, const QString& message);
    void onEnded(int id, Outcome outcome, const Deliver& deliver, const QString& error);
    void launch(int id);
    void schedule();

    QHash<int, Job> jobs_;
    QList<int> queue_; // waiting, in start order
    int maxConcurrent_;
    int nextId_ = 1;
    QString deliveredReport_;
};

} // namespace taskquant::studio
