// The thread policy (core/jobs/runtime.h): explicit count, TASKQUANT_THREADS, malformed
// values, the documented default rule, the load reading, and the launchers' OpenMP
// environment (app/launcher/launch_env.h), also end to end through the `taskquant` launcher.
#include <ATen/Parallel.h>
#include <QtTest/QtTest>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "app/launcher/launch_env.h"
#include "core/jobs/runtime.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

class TstRuntime : public QObject {
    Q_OBJECT
  private slots:
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
