// JobRunner: throttling, time left, cancellation (no output left), stale results dropped,
// errors reported, results delivered on the GUI thread.
#include <QtTest/QtTest>
#include <atomic>
#include <thread>

#include "app/studio/job_runner.h"
#include "app/studio/progress_throttle.h"
#include "core/io/atomic_file.h"
#include "core/util/error.h"

using namespace taskquant;
using namespace taskquant::studio;

class TstJobRunner : public QObject {
    Q_OBJECT
  private slots:
    void throttle_data() {
        QTest::addColumn<QList<double>>("fractions");
        QTest::addColumn<QList<bool>>("accepted");
        // Steps under 0.1 % are dropped until the total change reaches it.
        QTest::newRow("small steps") << QList<double>{0.0, 0.0004, 0.0008, 0.0011, 0.0015}
                                     << QList<bool>{true, false, false, true, false};
        QTest::newRow("completion passes")
            << QList<double>{0.0, 0.9995, 1.0} << QList<bool>{true, true, true};
        QTest::newRow("nan dropped")
            << QList<double>{std::nan(""), 0.5} << QList<bool>{false, true};
    }
    void throttle() {
        QFETCH(QList<double>, fractions);
        QFETCH(QList<bool>, accepted);
        ProgressThrottle t;
        for (int i = 0; i < fractions.size(); ++i)
            QCOMPARE(t.accept(fractions[i], "m"), accepted[i]);
        QVERIFY(t.accept(fractions.last(), "another message")); // a new message always passes
    }

    void timeLeft_data() {
        QTest::addColumn<double>("fraction");
        QTest::addColumn<double>("elapsed");
        QTest::addColumn<double>("left");
        QTest::newRow("quarter after 10 s") << 0.25 << 10.0 << 30.0;
        QTest::newRow("half after 4 s") << 0.5 << 4.0 << 4.0;
        QTest::newRow("too early in fraction") << 0.001 << 10.0 << -1.0;
        QTest::newRow("too early in time") << 0.5 << 0.2 << -1.0;
        QTest::newRow("done") << 1.0 << 5.0 << 0.0;
    }
    void timeLeft() {
        QFETCH(double, fraction);
        QFETCH(double, elapsed);
        QFETCH(double, left);
        QCOMPARE(estimateSecondsLeft(fraction, elapsed), left);
    }

    void deliversOnGuiThread() {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        QSignalSpy progress(&runner, &JobRunner::jobProgress);
        QThread* deliveredOn = nullptr;
        int value = 0;
        // 20000 reports of 1/20000 each: the throttle lets about 1000 through.
        const int id = runner.run<int>(
            QStringLiteral("sum"), QStringLiteral("sum"),
            [](const JobControl& c) {
                int s = 0;
                for (int i = 1; i <= 20000; ++i) {
                    s += 1;
                    c.report(double(i) / 20000, "adding");
                }
                return s;
            },
            [&](std::shared_ptr<const int> r) {
                value = *r;
                deliveredOn = QThread::currentThread();
            });
        QVERIFY(id > 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(value, 20000);
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY2(progress.count() <= 1002, qPrintable(QString::number(progress.count())));
        QVERIFY(progress.count() >= 10);
        QCOMPARE(progress.last().at(1).toDouble(), 1.0);
        QVERIFY(!runner.isRunning(id));
    }

    void cancelLeavesNoOutput() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("result.csv"));
        JobRunner runner;
        QSignalSpy progress(&runner, &JobRunner::jobProgress);
        QSignalSpy cancelled(&runner, &JobRunner::jobCancelled);
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        bool delivered = false;
        const int id = runner.run<bool>(
            QStringLiteral("write"), QStringLiteral("write"),
            [out](const JobControl& c) {
                io::AtomicFile f(out.toStdString());
                for (int i = 0; i < 100000; ++i) { // far longer than the test waits
                    c.check();
                    f.write("row\n");
                    c.report(i / 100000.0, "writing");
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
                f.commit();
                return true;
            },
            [&](std::shared_ptr<const bool>) { delivered = true; });
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 2, 10000);
        runner.cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 10000);
        QCOMPARE(cancelled.first().at(0).toInt(), id);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!delivered);
        QVERIFY(!QFileInfo::exists(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0); // no temp file
    }

    void staleResultDropped() {
        JobRunner runner;
        QSignalSpy dropped(&runner, &JobRunner::jobDropped);
        QSignalSpy finished(&runner, &JobRunner::jobFinished);
        QList<int> results;
        std::atomic<bool> firstStarted{false};
        // The first job ignores cancellation and returns a value anyway: it must not arrive.
        const int first = runner.run<int>(
            QStringLiteral("load"), QStringLiteral("old"),
            [&firstStarted](const JobControl& c) {
                firstStarted = true;
                while (!c.cancelled())
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                return 1;
            },
            [&](std::shared_ptr<const int> r) { results << *r; });
        QTRY_VERIFY(firstStarted.load());
        const int second = runner.run<int>(
            QStringLiteral("load"), QStringLiteral("new"), [](const JobControl&) { return 2; },
            [&](std::shared_ptr<const int> r) { results << *r; });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + dropped.count(), 2, 10000);
        QCOMPARE(results, QList<int>{2});
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(dropped.first().at(0).toInt(), first);
        QCOMPARE(finished.first().at(0).toInt(), second);
        QCOMPARE(runner.runningCount(), 0);
    }

    void errorsReported() {
        JobRunner runner;
        QSignalSpy failed(&runner, &JobRunner::jobFailed);
        runner.run<int>(
            QStringLiteral("x"), QStringLiteral("Reading map"),
            [](const JobControl&) -> int { throw Error("maps/broken.json", "expected an object"); },
            [](std::shared_ptr<const int>) { QFAIL("a failed job delivered a result"); });
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("Reading map"));
        QCOMPARE(failed.first().at(2).toString(),
                 QStringLiteral("maps/broken.json: expected an object"));
    }

    void destructorJoinsRunningJobs() {
        std::atomic<bool> stopped{false};
        {
            JobRunner runner;
            runner.start(QStringLiteral("spin"), QStringLiteral("spin"),
                         [&stopped](const JobControl& c) -> JobRunner::Deliver {
                             while (!c.cancelled())
                                 std::this_thread::sleep_for(std::chrono::milliseconds(1));
                             stopped = true;
                             return {};
                         });
        } // cancels and joins
        QVERIFY(stopped.load());
    }
};

QTEST_MAIN(TstJobRunner)
#include "tst_job_runner.moc"
