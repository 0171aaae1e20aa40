// configureThreads: explicit count, TASKQUANT_THREADS, and malformed values.
#include <ATen/Parallel.h>
#include <QtTest/QtTest>
#include <thread>

#include "core/util/error.h"
#include "core/util/runtime.h"

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
    void defaultIsEveryHardwareThread() {
        qunsetenv("TASKQUANT_THREADS");
        const int n = configureThreads();
        QCOMPARE(n, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
        QCOMPARE(at::get_num_threads(), n);
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
