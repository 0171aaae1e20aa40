#include "tests/common/fixtures.h"

#include <QDir>
#include <QFileInfo>
#include <array>
#include <cstdio>
#include <cstdlib>

#ifndef TASKQUANT_SOURCE_DIR
#define TASKQUANT_SOURCE_DIR "."
#endif

namespace tqtest {

std::string fixturesRoot() {
    if (const char* env = std::getenv("TASKQUANT_FIXTURES"); env && *env)
        return QFileInfo(QString::fromUtf8(env)).absoluteFilePath().toStdString();
    return QDir(QStringLiteral(TASKQUANT_SOURCE_DIR "/../shared")).absolutePath().toStdString();
}

std::string fixture(const std::string& relative) {
    return fixturesRoot() + "/" + relative;
}

bool underCi() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

std::string cliPath() {
    const char* build = std::getenv("TASKQUANT_BUILD_DIR");
    std::string dir = build ? build : TASKQUANT_BINARY_DIR;
    return dir + "/app/cli/taskquant";
}

int runCommand(const std::string& commandLine, std::string* output) {
    std::string cmd = commandLine + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p)
        return -1;
    std::array<char, 4096> buf{};
    std::string out;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    int status = ::pclose(p);
    if (output)
        *output = out;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void verifySameScores(const taskquant::sensitivity::SensitivityMap& a,
                      const taskquant::sensitivity::SensitivityMap& b, double tol) {
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& x = a.entries()[i];
        const auto& y = b.entries()[i];
        QCOMPARE(x.name, y.name);
        const double rel = std::abs(x.score - y.score) / std::max(1e-30, std::abs(y.score));
        QVERIFY2(rel <= tol, qPrintable(QString::fromStdString(x.name) + QStringLiteral(" rel ") +
                                        QString::number(rel)));
    }
}

} // namespace tqtest
