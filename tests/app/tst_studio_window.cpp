// The studio as a place where results live (issue 28), offscreen:
//  * quitting with unsaved policy edits asks (the test answers Cancel, then Discard);
//  * the window keeps its size when long job titles, progress lines and errors arrive;
//  * Load Policy then Undo restores the previous choices and default precision;
//  * an error banner clears when a later job succeeds;
//  * opening a model starts from llama.cpp's Q4_K_M: the live GGUF size equals the bytes of the
//    file `taskquant export --type q4_k_m` writes, and no "since the last edit" before an edit;
//  * every JSON kind the CLI writes (map, policy, error table, frontier, validation), made by
//    the taskquant binary, opens where it is shown; `taskquant-studio FILES --grab PNG` writes
//    a picture of the window and exits.
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTranslator>
#include <QUndoStack>
#include <QtTest/QtTest>

#include "app/studio/frontier_actions.h"
#include "app/studio/job_runner.h"
#include "app/studio/live_cost.h"
#include "app/studio/main_window.h"
#include "app/studio/message_bar.h"
#include "app/studio/result_files.h"
#include "app/studio/studio_jobs.h"
#include "core/export/gguf_story.h"
#include "core/export/gguf_story_size.h"
#include "core/io/gguf_reader.h"
#include "tests/common/fixtures.h"
#include "views/frontier_view.h"
#include "views/map_list_model.h"
#include "views/policy_model.h"
#include "views/validation_view.h"

using namespace taskquant;
using namespace taskquant::studio;

namespace {

QString demoModel() {
    return QStringLiteral(TASKQUANT_SOURCE_DIR "/resources/demo-model");
}

std::string q(const QString& s) {
    return "'" + s.toStdString() + "'";
}

// Answers the next "unsaved policy" question with `button` once it shows.
void answerUnsavedQuestion(QMessageBox::StandardButton button, bool* asked) {
    QTimer::singleShot(0, [button, asked] {
        QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("unsavedPolicyQuestion"));
        *asked = true;
        box->button(button)->click();
    });
}

const QString kTensor = QStringLiteral("model.layers.0.mlp.down_proj.weight");

} // namespace

class TstStudioWindow : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("TaskQuantTest"));
        QSettings().clear();
    }

    void quittingWithUnsavedEditsAsks() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.close()); // nothing edited: no question
        w.show();
        w.policy()->setPrecision({kTensor}, quant::Precision::parse("q8_0"));
        bool asked = false;
        answerUnsavedQuestion(QMessageBox::Cancel, &asked);
        QVERIFY(!w.close());
        QVERIFY(asked);
        QVERIFY(w.isVisible());
        asked = false;
        answerUnsavedQuestion(QMessageBox::Discard, &asked);
        QVERIFY(w.close());
        QVERIFY(asked);
    }

    void windowKeepsItsSizeWithLongMessages() {
        MainWindow w;
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::qWait(50);
        const QSize before = w.size();
        const QString lng = QStringLiteral("a very long line ").repeated(60);
        for (int i = 0; i < 5; ++i) {
            const int id = w.jobs()->run<int>(
                QStringLiteral("long-%1").arg(i), lng,
                [lng](const JobControl& c) {
                    c.report(0.5, lng.toStdString(), 13, 21);
                    QThread::msleep(150);
                    if (true)
                        throw Error(lng.toStdString());
                    return 0;
                },
                [](std::shared_ptr<const int>) {});
            QVERIFY(id > 0);
        }
        QVERIFY(w.jobs()->waitForIdle(20000));
        QTest::qWait(100);
        QVERIFY(w.messageBar()->isVisible());
        QCOMPARE(w.size(), before);
        for (QDockWidget* d : w.findChildren<QDockWidget*>())
            QVERIFY2(d->width() < before.width() / 2, qPrintable(d->objectName()));
    }

    void undoAfterLoadPolicyRestoresTheDefaultPrecision() {
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("p.json"));
        Choices saved;
        saved.insert(kTensor, quant::Precision::parse("q4_0"));
        savePolicyJson(saved, quant::Precision::parse("q8_0"), nullptr, file);

        MainWindow w;
        const quant::Precision before = w.defaultPrecision();
        w.policy()->setPrecision({QStringLiteral("model.layers.0.self_attn.q_proj.weight")},
                                 quant::Precision::parse("f16"));
        const Choices choicesBefore = w.currentChoices();
        QVERIFY(w.loadPolicy(file) > 0);
        QTRY_COMPARE(w.defaultPrecision(), quant::Precision::parse("q8_0"));
        QCOMPARE(w.currentChoices(), saved);
        QVERIFY(w.policy()->undoStack()->isClean()); // the file's policy is what is shown
        w.policy()->undoStack()->undo();
        QCOMPARE(w.defaultPrecision(), before);
        QCOMPARE(w.currentChoices(), choicesBefore);
        w.policy()->undoStack()->redo();
        QCOMPARE(w.defaultPrecision(), quant::Precision::parse("q8_0"));
        QCOMPARE(w.currentChoices(), saved);
    }

    void errorBannerClearsOnTheNextSuccess() {
        MainWindow w;
        w.jobs()->run<int>(
            QStringLiteral("fail"), QStringLiteral("fails"),
            [](const JobControl&) -> int { throw Error("broken on purpose"); },
            [](std::shared_ptr<const int>) {});
        QVERIFY(w.jobs()->waitForIdle(10000));
        QVERIFY(!w.messageBar()->isHidden());
        QVERIFY(w.messageBar()->text().contains(QStringLiteral("broken on purpose")));
        w.jobs()->run<int>(
            QStringLiteral("ok"), QStringLiteral("succeeds"), [](const JobControl&) { return 1; },
            [](std::shared_ptr<const int>) {});
        QVERIFY(w.jobs()->waitForIdle(10000));
        QTRY_VERIFY(w.messageBar()->isHidden());
    }

    void startPolicyIsQ4KM() {
        if (!QFileInfo::exists(QString::fromStdString(tqtest::cliPath())))
            QSKIP("the taskquant binary is not built");
        QTemporaryDir tmp;
        const QString gguf = tmp.filePath(QStringLiteral("q4km.gguf"));
        std::string out;
        QCOMPARE(tqtest::runCommand(tqtest::cliPath() + " export " + q(demoModel()) +
                                        " --type q4_k_m --format gguf --out " + q(gguf),
                                    &out),
                 0);
        MainWindow w;
        w.openModelDirectory(demoModel());
        QTRY_VERIFY_WITH_TIMEOUT(w.policyOrigin().contains(QStringLiteral("Q4_K_M")), 60000);
        QVERIFY(w.jobs()->waitForIdle(120000));
        QVERIFY(w.liveCost()->hasModel());
        // The live size is the file without its story (the export dialog adds that): the file
        // export wrote is exactly that plus the bytes of the story it carries.
        const auto written = io::GgufFile::open(gguf.toStdString());
        const uint64_t story = exporting::ggufStoryBytes(
            *exporting::ggufHeaderBase(demoModel().toStdString()), exporting::readStory(*written));
        QVERIFY(story > 0);
        QCOMPARE(w.liveCost()->cost()->totals().fileBytes + story, quint64(QFileInfo(gguf).size()));
        QVERIFY(w.policy()->undoStack()->isClean());
        QVERIFY(!w.policy()->undoStack()->canUndo());
        QVERIFY2(!w.liveCost()->detailHtml().contains(QStringLiteral("since the last edit")),
                 qPrintable(w.liveCost()->detailHtml()));
        w.policy()->setPrecision({kTensor}, quant::Precision::parse("q8_0"));
        QVERIFY(w.liveCost()->hasEdits());
        QVERIFY2(w.liveCost()->detailHtml().contains(QStringLiteral("Last edit")),
                 qPrintable(w.liveCost()->detailHtml()));
    }

    void opensEveryCliOutputKind() {
        if (!QFileInfo::exists(QString::fromStdString(tqtest::cliPath())))
            QSKIP("the taskquant binary is not built");
        QTemporaryDir tmp;
        const auto file = [&](const char* n) { return tmp.filePath(QLatin1String(n)); };
        const std::string tq = tqtest::cliPath(), m = q(demoModel());
        const std::string task = " --dataset arithmetic --ctx 64 --chunks 1";
        for (const std::string& cmd :
             {" magnitude " + m + " --out " + q(file("map.json")),
              " policy --recipe Q4_K_M --model " + m + " --out " + q(file("policy.json")),
              " errors " + m + " --precisions q8_0,q4_0 --out " + q(file("errors.json")),
              " validate " + m + " --map " + q(file("map.json")) + task +
                  " --precision q4_0 --tensors top:3 --out " + q(file("validation.json")),
              " frontier " + m + " --map " + q(file("map.json")) + task +
                  " --bits 6 --precisions q8_0,q4_0 --uniform q8_0 --no-error-only --out " +
                  q(file("frontier.json"))}) {
            std::string out;
            QVERIFY2(tqtest::runCommand(tq + cmd, &out) == 0, (cmd + "\n" + out).c_str());
        }
        QCOMPARE(resultKindOf(file("map.json")), ResultKind::Map);
        QCOMPARE(resultKindOf(file("policy.json")), ResultKind::Policy);
        QCOMPARE(resultKindOf(file("errors.json")), ResultKind::ErrorTable);
        QCOMPARE(resultKindOf(file("frontier.json")), ResultKind::Frontier);
        QCOMPARE(resultKindOf(file("validation.json")), ResultKind::Validation);

        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openPaths({file("map.json"), file("policy.json"), file("errors.json"),
                     file("frontier.json"), file("validation.json")});
        QVERIFY(w.jobs()->waitForIdle(60000));
        QTRY_VERIFY(w.jobs()->runningCount() == 0);
        QVERIFY2(w.messageBar()->isHidden(), qPrintable(w.messageBar()->text()));
        QCOMPARE(w.maps()->rowCount(), 1);
        QVERIFY(w.policyOrigin().contains(QStringLiteral("policy.json")));
        QVERIFY(!w.currentChoices().isEmpty());
        const auto frontier = w.frontierActions()->frontier();
        QVERIFY(frontier);
        // uniform q8_0, the mixes, optimal (map) @6: as many points as the file lists
        QVERIFY(frontier->points.size() >= 3);
        QCOMPARE(w.frontierActions()->frontierView()->points().size(), frontier->points.size());
        QVERIFY(frontier->source.contains(QStringLiteral("frontier.json")));
        // The CLI file names the uniform family's embedding and head, as its SVG legend does.
        QVERIFY2(frontier->uniformBase.startsWith(QStringLiteral("embedding ")) &&
                     frontier->uniformBase.contains(QStringLiteral(", head ")),
                 qPrintable(frontier->uniformBase));
        views::ValidationView* v = w.frontierActions()->validationView();
        QCOMPARE(v->model()->rowCount(), 3);
        bool provenance = false; // the summary line names the file it was opened from
        for (QLabel* l : v->findChildren<QLabel*>())
            provenance = provenance || l->text().contains(QStringLiteral("validation.json"));
        QVERIFY(provenance);

        // A file of no known kind: one error naming it.
        const QString bad = file("bad.json");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"something-else\"}");
        f.close();
        w.openPaths({bad});
        QVERIFY(w.jobs()->waitForIdle(10000));
        QTRY_VERIFY(!w.messageBar()->isHidden());
        QVERIFY(w.messageBar()->text().contains(bad));

        // A TaskQuant GGUF opens as the policy it was made with (its taskquant.policy key): a
        // policy file saved by hand (q8_0 default, one q4_0 override) goes through `export`.
        Choices saved;
        saved.insert(kTensor, quant::Precision::parse("q4_0"));
        savePolicyJson(saved, quant::Precision::parse("q8_0"), nullptr, file("p.json"));
        {
            std::string out;
            const std::string cmd = " export " + m + " --policy " + q(file("p.json")) +
                                    " --format gguf --out " + q(file("m.gguf"));
            QVERIFY2(tqtest::runCommand(tq + cmd, &out) == 0, (cmd + "\n" + out).c_str());
        }
        w.openPaths({file("m.gguf")});
        QVERIFY(w.jobs()->waitForIdle(30000));
        QTRY_VERIFY(w.policyOrigin().contains(QStringLiteral("m.gguf")));
        QCOMPARE(w.defaultPrecision(), quant::Precision::parse("q8_0"));
        QCOMPARE(w.currentChoices().value(kTensor), quant::Precision::parse("q4_0"));

        // --grab: the studio opens the same files offscreen and writes the window's picture.
        const QString studio = QString::fromLocal8Bit(qgetenv("TASKQUANT_BUILD_DIR")) +
                               QStringLiteral("/app/studio/taskquant-studio");
        if (!QFileInfo::exists(studio))
            QSKIP("the studio binary is not built");
        const QString png = file("window.png");
        std::string out;
        QCOMPARE(tqtest::runCommand("QT_QPA_PLATFORM=offscreen " + q(studio) + " " +
                                        q(file("map.json")) + " " + q(file("frontier.json")) +
                                        " --grab " + q(png),
                                    &out),
                 0);
        const QImage image(png);
        QVERIFY2(!image.isNull(), out.c_str());
        QVERIFY(image.width() >= 640 && image.height() >= 400);
    }

    // Settings > Language > Deutsch, then the next start: the menus, the docks and the frontier
    // and validation tabs are German (the .ts contexts are the namespaced class names).
    void germanAfterSwitchingLanguage() {
        // The program embeds the .qm files (qt_add_translations on the executable); this test
        // reads the same file from the build tree.
        const QString qm = QString::fromLocal8Bit(qgetenv("TASKQUANT_BUILD_DIR")) +
                           QStringLiteral("/app/studio/taskquant_de.qm");
        if (!QFileInfo::exists(qm))
            QSKIP("taskquant_de.qm is not built");
        QSettings().setValue(QStringLiteral("ui/language"), QStringLiteral("de"));
        auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
        auto* translator = new QTranslator(app);
        QVERIFY(translator->load(qm));
        QCoreApplication::installTranslator(translator);
        {
            MainWindow w;
            QStringList menus;
            for (QAction* a : w.menuBar()->actions())
                menus << a->text();
            QCOMPARE(menus.value(0), QStringLiteral("&Datei"));
            QCOMPARE(w.menuBar()->actions().value(0)->menu()->actions().value(1)->text(),
                     QStringLiteral("Ö&ffnen…"));
            QStringList tabs;
            for (int i = 0; i < w.tabs()->count(); ++i)
                tabs << w.tabs()->tabText(i);
            QVERIFY2(tabs.contains(QStringLiteral("Front")), qPrintable(tabs.join(u',')));
            QVERIFY2(tabs.contains(QStringLiteral("Schadensvalidierung")),
                     qPrintable(tabs.join(u',')));
            bool liveCost = false;
            for (QDockWidget* d : w.findChildren<QDockWidget*>())
                liveCost = liveCost || d->windowTitle() == QStringLiteral("Live-Kosten");
            QVERIFY(liveCost);
        }
        for (QTranslator* t : app->findChildren<QTranslator*>())
            QCoreApplication::removeTranslator(t);
        QSettings().remove(QStringLiteral("ui/language"));
        MainWindow english;
        QCOMPARE(english.menuBar()->actions().value(0)->text(), QStringLiteral("&File"));
    }
};

QTEST_MAIN(TstStudioWindow)
#include "tst_studio_window.moc"
