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
    int start(const QString& kind, const QString& title, Work work);
    // Typed convenience: `work` produces a value on the worker; `onResult` receives it (as an
    // immutable shared snapshot) on the GUI thread.
    template <class R>
    int run(const QString& kind, const QString& title,
            std::function<R(const taskquant::JobControl&)> work,
            std::function<void(std::shared_ptr<const R>)> onResult) {
        return start(kind, title, [work = std::move(work), onResult = std::move(onResult)](
                                      const taskquant::JobControl& c) -> Deliver {
            auto result = std::make_shared<const R>(work(c));
            return [onResult, result] { onResult(result); };
        });
    }

    // run() for jobs that report: `onResult` handles the result on the GUI thread and returns
    // what to tell the user, emitted as jobReported() right after it (before jobFinished()).
    template <class R>
    int runThenReport(const QString& kind, const QString& title,
                      std::function<R(const taskquant::JobControl&)> work,
                      std::function<JobReport(std::shared_ptr<const R>)> onResult) {
        return run<R>(kind, title, std::move(work),
                      [this, onResult = std::move(onResult)](std::shared_ptr<const R> result) {
                          const JobReport report = onResult(std::move(result));
                          if (!report.message.isEmpty())
                              emit jobReported(report.message, report.timeoutMs);
                      });
    }

    void cancel(int id);
    void cancelAll();
    bool isRunning(int id) const { return jobs_.contains(id); }
    int runningCount() const { return int(jobs_.size()); }
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

  private:
    struct Job {
        QString kind, title;
        std::shared_ptr<taskquant::CancelToken> cancel;
        QPointer<QThread> thread;
        QElapsedTimer timer;
        bool superseded = false;
    };
    enum class Outcome { Done, Cancelled, Failed };
    void onProgress(int id, double fraction, const QString& message);
    void onEnded(int id, Outcome outcome, const Deliver& deliver, const QString& error);

    QHash<int, Job> jobs_;
    int nextId_ = 1;
};

} // namespace taskquant::studio
