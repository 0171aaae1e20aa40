#include <QtTest/QtTest>
#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>

#include "core/io/atomic_file.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

class TstAtomicFile : public QObject {
    Q_OBJECT
  private slots:
    void commitWritesWholeFile() {
        QTemporaryDir dir;
        std::string path = dir.filePath("out.bin").toStdString();
        io::AtomicFile f(path);
        f.write("hello ");
        f.write("world");
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
        f.commit();
        QCOMPARE(io::readFile(path), std::string("hello world"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }
    void abortKeepsPreviousFile() {
        QTemporaryDir dir;
        std::string path = dir.filePath("out.txt").toStdString();
        io::writeFileAtomically(path, "old");
        {
            io::AtomicFile f(path);
            f.write("partial new contents");
        } // destroyed without commit
        QCOMPARE(io::readFile(path), std::string("old"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }
    void unwritableDirectoryNamesDestination() {
        try {
            io::AtomicFile f("/nonexistent-dir-tq/x.json");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("/nonexistent-dir-tq/x.json") != std::string::npos);
        }
    }
    void fullDiskGivesErrorAndKeepsPreviousFile() {
        // A file-size limit makes writes fail the way a full disk does (EFBIG instead of ENOSPC).
        QTemporaryDir dir;
        std::string path = dir.filePath("big.bin").toStdString();
        io::writeFileAtomically(path, "previous");
        std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit old {};
        ::getrlimit(RLIMIT_FSIZE, &old);
        struct rlimit lim = old;
        lim.rlim_cur = 64 * 1024;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &lim), 0);
        std::string block(1 << 20, 'x');
        bool threw = false;
        try {
            io::writeFileAtomically(path, block);
        } catch (const Error& e) {
            threw = true;
            QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
        }
        ::setrlimit(RLIMIT_FSIZE, &old);
        QVERIFY(threw);
        QCOMPARE(io::readFile(path), std::string("previous"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }
};

QTEST_APPLESS_MAIN(TstAtomicFile)
#include "tst_atomic_file.moc"
