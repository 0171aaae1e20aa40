#pragma once
// Test helpers: the shared fixtures directory (TASKQUANT_FIXTURES, default ../shared relative
// to the source tree), scratch directories, and the CLI binary of this build.
#include <QString>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <string>

#include "core/sensitivity/sensitivity_map.h"

namespace tqtest {

// Absolute path of the fixtures root (may not exist).
std::string fixturesRoot();
// fixturesRoot() + "/" + relative.
std::string fixture(const std::string& relative);
// True when CI=true in the environment.
bool underCi();
// Path of the built `taskquant` CLI.
std::string cliPath();
// Runs a command line through /bin/sh, capturing stdout+stderr; returns the exit code.
int runCommand(const std::string& commandLine, std::string* output);
// Fails the current test unless both maps list the same tensors in the same order with scores
// within `tol` relative of b's.
void verifySameScores(const taskquant::sensitivity::SensitivityMap& a,
                      const taskquant::sensitivity::SensitivityMap& b, double tol);

} // namespace tqtest

// Skips the test when the fixture is absent; under CI=true its absence is a failure.
#define TQ_REQUIRE_FIXTURE(relative)                                                               \
    do {                                                                                           \
        const std::string tq_path_ = tqtest::fixture(relative);                                    \
        if (!QFileInfo::exists(QString::fromStdString(tq_path_))) {                                \
            if (tqtest::underCi())                                                                 \
                QFAIL(qPrintable(QStringLiteral("fixture missing under CI: ") +                    \
                                 QString::fromStdString(tq_path_)));                               \
            QSKIP(qPrintable(QStringLiteral("fixture not found (set TASKQUANT_FIXTURES): ") +      \
                             QString::fromStdString(tq_path_)));                                   \
        }                                                                                          \
    } while (0)
