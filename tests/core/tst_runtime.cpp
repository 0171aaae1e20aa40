// The thread policy (core/jobs/runtime.h): explicit count, TASKQUANT_THREADS, malformed
// values, the documented default rule, the load reading, and the launchers' OpenMP
// environment (app/launcher/launch_env.h), also end to end through the `taskquant` launcher.
#include <ATen/Parallel.h>
#include <QtTest/QtTest>
#include <csignal>
#include <map>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "app/launcher/launch_env.h"
#include "core/eval/frontier.h"
#include "core/jobs/forward_progress.h"
#include "core/jobs/runtime.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

namespace {
// Checks a reported sequence: fractions in 0..1 and never falling; counts only with a total,
// never above it, and within one message never falling.
void checkForward(const std::vector<ProgressInfo>& seq) {
    double last = 0;
    std::map<std::string, long long> done;
    for (const ProgressInfo& p : seq) {
        QVERIFY2(p.fraction >= last && p.fraction <= 1.0,
                 qPrintable(QStringLiteral("%1 after %2 (%3)")
                                .arg(p.fraction)
                                .arg(last)
                                .arg(QString::fromStdString(p.message))));
        last = p.fraction;
        if (p.done || p.total) {
            QVERIFY(p.total > 0 && p.done >= 0 && p.done <= p.total);
            QVERIFY2(p.done >= done[p.message], p.message.c_str());
            done[p.message] = p.done;
        }
    }
}
} // namespace

class TstRuntime : public QObject {
    Q_OBJECT
  private slots:
    // A nested job whose stages misbehave as the demo job's did (a stage starting over at the
    // beginning of its parent's range, counts restarting, 0/0 counts, fractions above 1): what
    // reaches the watcher only goes forward.
    void progressOnlyGoesForwardInANestedJob() {
        std::vector<ProgressInfo> seen;
        const JobControl outer{forwardOnly([&](const ProgressInfo& p) { seen.push_back(p); })};
        const JobControl maps = subRange(outer, 0.0, 0.15, "maps");
        for (int i = 0; i <= 21; ++i)
            maps.report(double(i) / 21, "fisher", i, 21);
        const JobControl frontier = subRange(outer, 0.15, 0.6, "frontier");
        const JobControl a = subRange(frontier, 0.0, 0.1), b = subRange(frontier, 0.0, 0.2);
        for (int i = 0; i <= 8; ++i)
            a.report(double(i) / 8, "windows", i, 8);
        for (int i = 0; i <= 8; ++i) // starts again at the parent's 0: must not go back
            b.report(double(i) / 8, "windows", i, 8);
        frontier.report(0.5, "policies", 0, 0); // 0/0: no counts
        frontier.report(1.7, "policies", 3, 2); // beyond the range, done > total
        outer.report(0.9, "export");
        outer.report(1.0, "done");
        checkForward(seen);
        QCOMPARE(seen.size(), std::size_t(22 + 9 + 9 + 4));
        QCOMPARE(seen.back().fraction, 1.0);
        // beyond 1 (1.7 of the frontier's 0.15..0.75 is 1.17): clamped to 1, and it stays there
        QCOMPARE(seen[seen.size() - 3].fraction, 1.0);
        QCOMPARE(seen[seen.size() - 2].fraction, 1.0);
        QCOMPARE(seen[seen.size() - 4].total, 0LL); // "0/0" dropped
        QCOMPARE(seen[21].done, 21LL);
    }

    // The engine's own nested stages (the frontier: activation statistics, per-weight Fisher,
    // error tables, reference, each policy) report fractions that never fall, before any guard.
    void frontierStagesReportForward() {
        eval::TaskRequest task;
        task.modelDir = TASKQUANT_SOURCE_DIR "/resources/demo-model";
        task.dataset = "arithmetic";
        task.ctx = 64;
        task.chunks = 1;
        eval::FrontierOptions o;
        o.bits = {6};
        o.candidates = {quant::Precision::parse("q8_0"), quant::Precision::parse("q4_0")};
        o.uniform = {quant::Precision::parse("q8_0")};
        o.errorOnly = false;
        std::vector<ProgressInfo> raw;
        const auto r = eval::runFrontier(
            task, {}, o, JobControl{[&](const ProgressInfo& p) { raw.push_back(p); }});
        QVERIFY(!r.points.empty());
        QVERIFY(raw.size() > 5);
        double last = 0;
        for (const ProgressInfo& p : raw) {
            QVERIFY2(p.fraction >= last - 1e-12,
                     qPrintable(QStringLiteral("%1 after %2 (%3)")
                                    .arg(p.fraction)
                                    .arg(last)
                                    .arg(QString::fromStdString(p.message))));
            last = p.fraction;
        }
    }

    // A log's lines (LogPace), a hand-worked sequence: the first report; a stage change only a
    // second after the last line; a long stage once a minute; each tenth at once.
    void logGetsALineAtEachTenthNewStageAndMinute() {
        LogPace pace;
        auto due = [&](double seconds, double fraction, const char* stage) {
            return pace.due(ProgressInfo{fraction, stage, 0, 0}, seconds);
        };
        QVERIFY(due(0.0, 0.00, "reading"));            // the first report
        QVERIFY(!due(0.5, 0.01, "reading"));           // same tenth, same stage
        QVERIFY(!due(0.6, 0.02, "per-weight Fisher")); // new stage, 0.6 s after the last line
        QVERIFY(due(1.2, 0.03, "per-weight Fisher"));  // ... and 1.2 s after it
        QVERIFY(!due(30.0, 0.05, "per-weight Fisher"));
        QVERIFY(!due(61.1, 0.06, "per-weight Fisher")); // 59.9 s after the last line
        QVERIFY(due(61.3, 0.07, "per-weight Fisher"));  // a minute: a line though nothing changed
        QVERIFY(due(61.4, 0.10, "per-weight Fisher"));  // a new tenth at once
        QVERIFY(!due(61.5, 0.15, "per-weight Fisher"));
        QVERIFY(due(61.6, 0.20, "error tables")); // new tenth and new stage together: one line
        QVERIFY(!due(62.0, 0.21, "per-weight Fisher")); // back 0.4 s later: not yet
        QVERIFY(!due(62.5, 0.21, "error tables"));      // the last line's stage: nothing new
        QVERIFY(due(62.7, 0.22, "per-weight Fisher"));  // a new stage 1.1 s after the last line
        QVERIFY(due(62.8, 1.00, "done"));               // the end is a tenth
    }

    void explicitCountWins() {
        qputenv("TASKQUANT_THREADS", "1");
        QCOMPARE(configureThreads(3), 3);
        QCOMPARE(at::get_num_threads(), 3);
    }
    void environmentIsUsedWhenNoCountGiven() {
        qputenv("TASKQUANT_THREADS", "2");
        QCOMPARE(configureThreads(), 2);
        QCOMPARE(at::get_num_threads(), 2);
    }
    void ruleExplicitCountWinsOverEverything() {
        QCOMPARE(chooseThreads(3, 2, 1'000'000'000, 5), 3);
        QCOMPARE(chooseThreads(1, 64, 1'000'000'000, 0), 1);
    }
    void ruleSmallModelsUseOneThread() {
        QCOMPARE(chooseThreads(0, 2, 260'000, 0), 1); // stories260K
        QCOMPARE(chooseThreads(0, 16, kSmallModelParams - 1, 0), 1);
        QCOMPARE(chooseThreads(0, 16, kSmallModelParams, 0), 16);
    }
    void ruleLargeModelsUseTheFreeCores() {
        QCOMPARE(chooseThreads(0, 2, 50'000'000, 0), 2); // idle: every core
        QCOMPARE(chooseThreads(0, 2, 50'000'000, 1), 1); // one busy process
        QCOMPARE(chooseThreads(0, 2, 50'000'000, 2), 1); // two: never below one
        QCOMPARE(chooseThreads(0, 16, 50'000'000, 5), 11);
        QCOMPARE(chooseThreads(0, 4, 50'000'000, 100), 1);
        QCOMPARE(chooseThreads(0, 8, -1, 3), 5); // no model loaded yet
        QCOMPARE(chooseThreads(0, 0, -1, 0), 1); // unknown hardware
    }
    void busyProcessesAreCountedAsOthers() {
        // Two children that spin are runnable all the time: the reading counts them.
        pid_t kids[2];
        for (pid_t& k : kids) {
            k = fork();
            if (k == 0) {
                for (volatile unsigned long i = 0;; ++i) {
                }
            }
            QVERIFY(k > 0);
        }
        QTest::qWait(200);
        int seen = 0;
        for (int i = 0; i < 5; ++i)
            seen = std::max(seen, otherRunnableThreads());
        for (pid_t k : kids) {
            kill(k, SIGKILL);
            waitpid(k, nullptr, 0);
        }
        QVERIFY2(seen >= 2, qPrintable(QString::number(seen)));
    }
    void defaultPolicyFollowsTheModelSize() {
        qunsetenv("TASKQUANT_THREADS");
        configureThreads();
        setWorkSize(260'000);
        QCOMPARE(at::get_num_threads(), 1);
        QCOMPARE(threadCheckpoint(), 1);
        qputenv("TASKQUANT_THREADS", "1");
        configureThreads();
    }
    void explicitCountSurvivesCheckpoints() {
        QCOMPARE(configureThreads(2), 2);
        setWorkSize(260'000);
        QCOMPARE(threadCheckpoint(), 2);
        QCOMPARE(at::get_num_threads(), 2);
        configureThreads(1);
    }
    void launcherAddsPassiveWaitUnlessUserChose() {
        using taskquant::launch::defaultOpenMpEnvironment;
        const auto added = defaultOpenMpEnvironment({"PATH=/bin", "OMP_WAIT_POLICYX=1"});
        QCOMPARE(added.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(added[0].first), QStringLiteral("OMP_WAIT_POLICY"));
        QCOMPARE(QString::fromStdString(added[0].second), QStringLiteral("PASSIVE"));
        QVERIFY(defaultOpenMpEnvironment({"OMP_WAIT_POLICY=active"}).empty());
        QVERIFY(defaultOpenMpEnvironment({"GOMP_SPINCOUNT=1000"}).empty());
    }
    void launcherLooksBesideItselfThenInLibexec() {
        const auto c =
            taskquant::launch::engineCandidates("/usr/bin/taskquant", "taskquant-engine");
        QCOMPARE(c.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(c[0]), QStringLiteral("/usr/bin/taskquant-engine"));
        QCOMPARE(QString::fromStdString(c[1]),
                 QStringLiteral("/usr/bin/../libexec/taskquant/taskquant-engine"));
    }
    void launcherStartsTheEngineWithPassiveWaiting() {
        std::string out;
        QCOMPARE(tqtest::runCommand("env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT '" +
                                        tqtest::cliPath() + "' --version",
                                    &out),
                 0);
        QVERIFY2(out.find("taskquant ") != std::string::npos, out.c_str());
        QVERIFY2(out.find("OMP_WAIT_POLICY=PASSIVE") != std::string::npos, out.c_str());
        QCOMPARE(tqtest::runCommand("OMP_WAIT_POLICY=active '" + tqtest::cliPath() + "' --version",
                                    &out),
                 0);
        QVERIFY2(out.find("OMP_WAIT_POLICY=active") != std::string::npos, out.c_str());
        // The engine alone is left as the user started it.
        QCOMPARE(tqtest::runCommand(
                     "env -u OMP_WAIT_POLICY '" + tqtest::cliPath() + "-engine' --version", &out),
                 0);
        QVERIFY2(out.find("OMP_WAIT_POLICY=unset") != std::string::npos, out.c_str());
    }
    void malformedEnvironmentNamesTheVariable() {
        for (const char* bad : {"zero", "0", "-2", "3x", "99999"}) {
            qputenv("TASKQUANT_THREADS", bad);
            try {
                configureThreads();
                QFAIL(qPrintable(QStringLiteral("accepted %1").arg(bad)));
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains("TASKQUANT_THREADS"), e.what());
                QVERIFY2(QString(e.what()).contains(bad), e.what());
            }
        }
        qputenv("TASKQUANT_THREADS", "1");
        configureThreads();
    }
};

QTEST_GUILESS_MAIN(TstRuntime)
#include "tst_runtime.moc"
