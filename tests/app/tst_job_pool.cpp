// The JobRunner's bounded pool: jobs naming the same resource (a model they load) never run at
// once, at most maxConcurrent() run, a waiting job can be cancelled without ever running; and the
// Jobs panel keeps a finished job's one-line result until "Clear Finished".
#include <QLabel>
#include <QPushButton>
#include <QtTest/QtTest>
#include <atomic>
#include <thread>

#include "app/studio/job_runner.h"
#include "app/studio/jobs_panel.h"
#include "core/util/error.h"

using namespace taskquant;
using namespace taskquant::studio;

namespace {
// A job that records that it started and runs until `release` is set.
JobRunner::Work gated(std::atomic<bool>& started, std::atomic<bool>& release,
                      std::atomic<int>& concurrent, std::atomic<int>& peak) {
    return [&](const JobControl& c) -> JobRunner::Deliver {
        started = true;
        const int now = ++concurrent;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        while (!release && !c.cancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        --concurrent;
        return [] {};
    };
}
} // namespace

class TstJobPool : public QObject {
    Q_OBJECT
  private slots:
    void sameModelNeverTwiceAtOnce() {
        JobRunner runner;
        runner.setMaxConcurrent(4);
        std::atomic<bool> s1{false}, s2{false}, s3{false}, r1{false}, r2{false}, r3{false};
        std::atomic<int> concurrent{0}, peak{0};
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        const QString model = QStringLiteral("model:/m");
        runner.start(QStringLiteral("fisher"), QStringLiteral("a"), gated(s1, r1, concurrent, peak),
                     model);
        const int b = runner.start(QStringLiteral("evaluate"), QStringLiteral("b"),
                                   gated(s2, r2, concurrent, peak), model);
        // another model's job is not held back
        runner.start(QStringLiteral("other"), QStringLiteral("c"), gated(s3, r3, concurrent, peak),
                     QStringLiteral("model:/other"));
        QTRY_VERIFY(s1.load() && s3.load());
        QTest::qWait(100);
        QVERIFY(!s2.load());
        QVERIFY(runner.isWaiting(b));
        r1 = true;
        QTRY_VERIFY(s2.load());
        r2 = r3 = true;
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 10000);
        QCOMPARE(runner.runningCount(), 0);
    }

    void atMostMaxConcurrent() {
        JobRunner runner;
        runner.setMaxConcurrent(2);
        std::atomic<bool> started[5], release{false};
        std::atomic<int> concurrent{0}, peak{0};
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        for (int i = 0; i < 5; ++i) {
            started[i] = false;
            runner.start(QStringLiteral("k%1").arg(i), QStringLiteral("job"),
                         gated(started[i], release, concurrent, peak));
        }
        QTRY_VERIFY(started[0].load() && started[1].load());
        QTest::qWait(100);
        QCOMPARE(peak.load(), 2);
        release = true;
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 5, 10000);
        QCOMPARE(peak.load(), 2);
    }

    void cancelWhileWaiting() {
        JobRunner runner;
        runner.setMaxConcurrent(1);
        std::atomic<bool> s1{false}, s2{false}, release{false};
        std::atomic<int> concurrent{0}, peak{0};
        QSignalSpy cancelled(&runner, &JobRunner::jobCancelled);
        runner.start(QStringLiteral("a"), QStringLiteral("a"),
                     gated(s1, release, concurrent, peak));
        const int b = runner.start(QStringLiteral("b"), QStringLiteral("b"),
                                   gated(s2, release, concurrent, peak));
        QTRY_VERIFY(s1.load());
        runner.cancel(b);
        QVERIFY(!runner.isWaiting(b));
        QTRY_COMPARE(cancelled.count(), 1); // without waiting for the running job
        QVERIFY(!runner.isRunning(b));
        release = true;
        QVERIFY(runner.waitForIdle(10000));
        QVERIFY(!s2.load());
    }

    void panelKeepsResultsUntilCleared() {
        JobRunner runner;
        JobsPanel panel(&runner);
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        const int ok = runner.runThenReport<int>(
            QStringLiteral("x"), QStringLiteral("Reading"), [](const JobControl&) { return 3; },
            [](std::shared_ptr<const int> r) {
                return JobReport{QStringLiteral("Read %1 maps").arg(*r)};
            });
        const int bad = runner.run<int>(
            QStringLiteral("y"), QStringLiteral("Broken"),
            [](const JobControl&) -> int { throw Error("f.json", "not JSON"); },
            [](std::shared_ptr<const int>) {});
        QVERIFY(runner.waitForIdle(10000));
        QCOMPARE(panel.finishedCount(), 2);
        QCOMPARE(panel.resultLine(ok), QStringLiteral("Read 3 maps"));
        QCOMPARE(panel.resultLine(bad), QStringLiteral("Failed: f.json: not JSON"));
        auto* clear = panel.findChild<QPushButton*>(QStringLiteral("clearFinished"));
        QVERIFY(clear && clear->isEnabled());
        clear->click();
        QCOMPARE(panel.finishedCount(), 0);
        QVERIFY(panel.resultLine(ok).isEmpty());
        QVERIFY(!clear->isEnabled());
    }
};

QTEST_MAIN(TstJobPool)
#include "tst_job_pool.moc"
