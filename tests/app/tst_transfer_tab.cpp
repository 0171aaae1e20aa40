// The Task Transfer tab in the studio window, on a hand-written `taskquant transfer` JSON (two
// tasks, one budget, two policies): File > Open recognises the file and fills the tab (the
// matrix's rows in the order the view's maths gives them, the verdicts of the file); a click on
// a cell loads that row's policy into the editor as exactly the policy's choices, one undoable
// step (undo restores the previous choices, redo reapplies); a matrix whose cell names a policy
// the file lacks is one error naming the file, and the tab keeps what it showed.
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QUndoStack>
#include <QtTest/QtTest>

#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "app/studio/message_bar.h"
#include "app/studio/result_files.h"
#include "app/studio/transfer_actions.h"
#include "views/policy_model.h"
#include "views/transfer_view.h"

using namespace taskquant;
using namespace taskquant::studio;

namespace {

const char* kQ = "model.layers.0.self_attn.q_proj.weight";
const char* kV = "model.layers.0.self_attn.v_proj.weight";

QString policyJson(const char* name) {
    return QStringLiteral(R"({"format": "taskquant-policy", "version": 1, "default": "q4_0",
        "embeddings": "f16", "lm_head": "f16", "norms": "f16", "biases": "f16", "other": "f16",
        "reference": "f16", "overrides": {"%1": "q8_0"}})")
        .arg(QLatin1String(name));
}

QString cellJson(const char* policy, const char* builtFor, const char* task, double kld,
                 double accuracy) {
    return QStringLiteral(R"({"budget_bits": 4.5, "policy": "%1", "built_for": "%2",
        "eval_task": "%3", "bytes": 1000, "bits_per_weight": 4.5, "kld_mean": %4,
        "kld_ci95": [%5, %6], "kld_p99": 0.5, "top1": 0.9, "accuracy": %7,
        "accuracy_ci95": [0.2, 0.7], "correct": 9, "answered": 20})")
        .arg(QLatin1String(policy), QLatin1String(builtFor), QLatin1String(task))
        .arg(kld)
        .arg(kld * 0.9)
        .arg(kld * 1.1)
        .arg(accuracy);
}

// verdict texts as the transfer engine would write them (hand-written here)
QString matrixJson(bool brokenPolicyName = false) {
    const QString cells = QStringList{cellJson("arith @4.5", "arith", "arith", 0.01, 0.45),
                                      cellJson("arith @4.5", "arith", "prose", 0.03, 0.40),
                                      cellJson(brokenPolicyName ? "missing @4.5" : "prose @4.5",
                                               "prose", "arith", 0.02, 0.40),
                                      cellJson("prose @4.5", "prose", "prose", 0.01, 0.45)}
                              .join(QStringLiteral(", "));
    return QStringLiteral(R"({"format": "taskquant-transfer", "version": 1, "model": "",
        "parameters": 4096, "ctx": 128, "tasks": ["arith", "prose"], "budgets": [4.5],
        "cells": [%1],
        "verdicts": [
          {"task": "arith", "budget_bits": 4.5, "outcome": "win",
           "text": "its own policy beats the best other policy of equal size by 50 %",
           "own_policy": "arith @4.5", "best_other": "prose @4.5", "gain": 0.5,
           "gain_ci95": [0.4, 0.6]},
          {"task": "prose", "budget_bits": 4.5, "outcome": "win",
           "text": "its own policy beats the best other policy of equal size by 67 %",
           "own_policy": "prose @4.5", "best_other": "arith @4.5", "gain": 0.67,
           "gain_ci95": [0.6, 0.7]}],
        "policies": {"arith @4.5": %2, "prose @4.5": %3}, "seconds": 1.5})")
        .arg(cells, policyJson(kQ), policyJson(kV));
}

QString write(const QTemporaryDir& dir, const char* name, const QString& text) {
    const QString path = dir.filePath(QLatin1String(name));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text.toUtf8());
    return path;
}

} // namespace

class TstTransferTab : public QObject {
    Q_OBJECT
  private slots:
    void tabLoadsMatrixAndClickLoadsPolicy() {
        QTemporaryDir dir;
        const QString path = write(dir, "transfer.json", matrixJson());
        QCOMPARE(resultKindOf(path), ResultKind::Transfer);
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(openResultFiles(&w, {path}), 1);
        views::TransferView* view = w.transferActions()->view();
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, 20000);
        QVERIFY(w.jobs()->waitForIdle(20000));
        QCOMPARE(w.tabs()->currentWidget(), view);
        QCOMPARE(view->model()->policyAt(0), QStringLiteral("arith @4.5"));
        QCOMPARE(view->model()->policyAt(1), QStringLiteral("prose @4.5"));
        QVERIFY(view->verdictText().contains(QStringLiteral("prose: its own policy beats")));
        // arith @4.5 on prose: KLD 0.03 [0.027, 0.033], 40 % [20, 70].
        QCOMPARE(view->model()->index(0, 4).data().toString(),
                 QStringLiteral("0.03 [0.027, 0.033]\n40 % [20, 70]"));

        views::PolicyModel* policy = w.policy();
        QVERIFY(policy->choices().isEmpty());
        const int steps = policy->undoStack()->count();
        // Click the prose row's cell on arith: the prose policy (v_proj at q8_0) is loaded.
        view->table()->scrollTo(view->model()->index(1, 3));
        QTest::mouseClick(view->table()->viewport(), Qt::LeftButton, {},
                          view->cellRect(1, 3).center());
        QCOMPARE(policy->choices().size(), 1);
        QCOMPARE(policy->choices().value(QLatin1String(kV)), quant::Precision::parse("q8_0"));
        QCOMPARE(policy->undoStack()->count(), steps + 1);
        // Then the arith row: q_proj at q8_0 instead.
        QTest::mouseClick(view->table()->viewport(), Qt::LeftButton, {},
                          view->cellRect(0, 4).center());
        QCOMPARE(policy->choices().size(), 1);
        QCOMPARE(policy->choices().value(QLatin1String(kQ)), quant::Precision::parse("q8_0"));
        // Undo: the prose policy again; undo again: nothing; redo: prose.
        policy->undoStack()->undo();
        QCOMPARE(policy->choices().size(), 1);
        QVERIFY(policy->choices().contains(QLatin1String(kV)));
        policy->undoStack()->undo();
        QVERIFY(policy->choices().isEmpty());
        policy->undoStack()->redo();
        QCOMPARE(policy->choices().value(QLatin1String(kV)), quant::Precision::parse("q8_0"));
        // A label the matrix lacks loads nothing.
        QVERIFY(!w.transferActions()->loadPolicy(QStringLiteral("nothing @4.5")));
    }

    void brokenMatrixIsOneErrorNamingTheFile() {
        QTemporaryDir dir;
        const QString good = write(dir, "good.json", matrixJson());
        const QString bad = write(dir, "bad.json", matrixJson(true));
        MainWindow w;
        openResultFiles(&w, {good});
        views::TransferView* view = w.transferActions()->view();
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, 20000);
        QVERIFY(w.jobs()->waitForIdle(20000));
        QSignalSpy failed(w.jobs(), &JobRunner::jobFailed);
        openResultFiles(&w, {bad});
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QVERIFY(failed.first().at(2).toString().contains(bad));
        QVERIFY(failed.first().at(2).toString().contains(QStringLiteral("missing @4.5")));
        QVERIFY(w.messageBar()->text().contains(bad));
        QCOMPARE(view->model()->rowCount(), 2); // still the good matrix
    }
};

QTEST_MAIN(TstTransferTab)
#include "tst_transfer_tab.moc"
