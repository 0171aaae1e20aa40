// The Frontier and Damage Validation tabs in the studio window: clicking a frontier point loads
// its policy into the editor as one undoable step (undo restores the previous choices exactly,
// redo reapplies); the live point of the current policy moves as the policy is edited, with
// sizes hand-computed from the ggml layouts (q8_0: 34 bytes per 32 weights, f16: 2 bytes) and
// the damage model's 1/2 * score * SSE; and, on the embedded demo model with the GSM8K test
// set, a real frontier job (uniform types, llama.cpp mixes, error-only allocations), whose
// uniform q8_0 point loaded into the editor and measured again gives the frontier's own
// numbers (a cancelled frontier job changes nothing), and a validation job whose scatter
// states its Spearman.
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QUndoStack>
#include <QtTest/QtTest>
#include <cmath>
#include <qcustomplot.h>

#include "app/studio/frontier_actions.h"
#include "app/studio/frontier_dialogs.h"
#include "app/studio/frontier_jobs.h"
#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "app/studio/message_bar.h"
#include "tests/common/fixtures.h"
#include "views/frontier_view.h"
#include "views/heatmap_view.h"
#include "views/policy_model.h"
#include "views/validation_view.h"

using namespace taskquant;
using namespace taskquant::studio;

namespace {
const QString kQ = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
const QString kNorm = QStringLiteral("model.norm.weight");
quant::Precision prec(const char* n) {
    return quant::Precision::parse(n);
}

// Two tensors: q_proj 64x64 (4096 weights) and the final norm (64): 4160 parameters.
std::shared_ptr<FrontierData> syntheticFrontier() {
    auto f = std::make_shared<FrontierData>();
    f->shapes = {{kQ.toStdString(), {64, 64}}, {kNorm.toStdString(), {64}}};
    f->parameters = 4160;
    policy::ErrorRow row;
    row.name = kQ.toStdString();
    row.shape = {64, 64};
    row.error = {0.0, 1e-4, 5e-4};
    row.numel = 4096;
    row.sse = {0.0, 0.5, 2.0};
    f->errors = std::make_shared<const policy::ErrorTable>(
        std::vector<std::string>{"f16", "q8_0", "q4_0"}, std::vector<policy::ErrorRow>{row});
    std::vector<sensitivity::MapEntry> e = {
        {kQ.toStdString(), 2.0, 4096, std::vector<int64_t>{64, 64}},
        {kNorm.toStdString(), 1.0, 64, std::vector<int64_t>{64}}};
    f->predictionMap =
        std::make_shared<const sensitivity::SensitivityMap>(e, sensitivity::Provenance{});
    f->scale = 0.1;
    policy::Policy uniform;
    uniform.defaultPrecision = prec("q8_0");
    policy::Policy keep;
    keep.defaultPrecision = prec("int4_g128");
    keep.overrides[kQ.toStdString()] = prec("f16");
    f->policies = {uniform, keep};
    views::FrontierPointData a, b;
    a.label = QStringLiteral("q8_0");
    a.kind = QStringLiteral("uniform");
    a.signal = QStringLiteral("none");
    a.bitsPerWeight = 8.615;
    a.bytes = 4480;
    a.kld = 0.05;
    b = a;
    b.label = QStringLiteral("keep q_proj");
    b.kind = QStringLiteral("optimal");
    b.bitsPerWeight = 16;
    b.bytes = 8320;
    b.kld = 1e-3;
    f->points = {a, b};
    f->title = QStringLiteral("synthetic");
    return f;
}

QString demoModel() {
    return QStringLiteral(TASKQUANT_SOURCE_DIR "/resources/demo-model");
}
} // namespace

class TstFrontier : public QObject {
    Q_OBJECT
  private slots:
    // A task kind that reads a file, with no file: the dialog stays open and says why, instead
    // of closing and failing in the job; a demo task (no file) is accepted.
    void validateDialogRefusesAMissingFile() {
        studio::ValidateDialog d(demoModel(), QStringLiteral("m.json"));
        studio::ValidationRequest r = d.request();
        r.task.datasetKind = QStringLiteral("gsm8k");
        r.task.dataFile.clear();
        d.setRequest(r);
        d.show();
        d.accept();
        QVERIFY(d.isVisible());
        QCOMPARE(d.result(), int(QDialog::Rejected));
        auto* problem = d.findChild<QLabel*>(QStringLiteral("taskProblem"));
        QVERIFY(problem && problem->isVisible());
        QVERIFY2(problem->text().contains(QStringLiteral("file")), qPrintable(problem->text()));
        r.task.dataFile = QStringLiteral("/nonexistent/x.jsonl");
        d.setRequest(r);
        d.accept();
        QVERIFY(d.isVisible());
        QVERIFY(problem->text().contains(QStringLiteral("/nonexistent/x.jsonl")));
        r.task.datasetKind = QStringLiteral("arithmetic");
        d.setRequest(r);
        d.accept();
        QVERIFY(!d.isVisible());
        QCOMPARE(d.result(), int(QDialog::Accepted));
    }

    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TaskQuantTest"));
        QSettings().clear();
    }

    void clickLoadsPointWithUndo() {
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        FrontierActions* fa = w.frontierActions();
        QVERIFY(fa);
        QCOMPARE(w.tabs()->tabText(w.tabs()->indexOf(fa->frontierView())),
                 QStringLiteral("Frontier"));
        views::PolicyModel* p = w.policy();
        p->setPrecision({kNorm}, prec("q8_0"));
        const Choices before = p->choices();
        const int undoIndex = p->undoStack()->index();
        fa->setFrontier(syntheticFrontier());
        w.tabs()->setCurrentWidget(fa->frontierView());
        views::FrontierView* v = fa->frontierView();
        v->plot()->replot();
        QTest::mouseClick(v->plot(), Qt::LeftButton, Qt::NoModifier, v->pointPixel(0).toPoint());
        // Uniform q8_0 over the editor's default int4_g128: q_proj explicit at q8_0; the norm
        // is f16 in both, so its earlier explicit choice goes.
        const Choices expected{{kQ, prec("q8_0")}};
        QCOMPARE(p->choices(), expected);
        QCOMPARE(p->undoStack()->index(), undoIndex + 1);
        QVERIFY(p->undoStack()->undoText().contains(QStringLiteral("q8_0")));
        p->undoStack()->undo();
        QCOMPARE(p->choices(), before);
        p->undoStack()->redo();
        QCOMPARE(p->choices(), expected);
        // Double-click on a table row loads too.
        QVERIFY(fa->loadPoint(1));
        QCOMPARE(p->choices(), (Choices{{kQ, prec("f16")}}));
        QVERIFY(!fa->loadPoint(2));
        p->undoStack()->undo();
        QCOMPARE(p->choices(), expected);

        // File > Export Plot on the Frontier tab writes the plot (not the table) as PNG / SVG.
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("f.png")),
                      svg = dir.filePath(QStringLiteral("f.svg"));
        QVERIFY(w.exportPlot(png) > 0);
        QVERIFY(w.jobs()->waitForIdle(30000)); // a second export job would replace this one
        QVERIFY(w.exportPlot(svg) > 0);
        QVERIFY(w.jobs()->waitForIdle(30000));
        const QImage image(png);
        // The plot at 2x (plot_export.h), without the table below it.
        QCOMPARE(image.width(), 2 * v->plot()->width());
        QVERIFY(image.height() > 0 && image.height() <= 2 * (v->height() - v->table()->height()));
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("<svg") && text.contains("synthetic"));
    }

    void livePointMovesWithEdits() {
        MainWindow w;
        FrontierActions* fa = w.frontierActions();
        fa->setFrontier(syntheticFrontier());
        views::PolicyModel* p = w.policy();
        // The editor's default int4_g128 has no measured error: no prediction, not a made-up 0.
        auto cur = fa->frontierView()->currentPoint();
        QVERIFY(cur && !cur->measured && std::isnan(cur->kld));
        QVERIFY(fa->frontierView()->statusText().contains(QStringLiteral("not predicted")));
        p->setPrecision({kQ}, prec("q4_0"));
        cur = fa->frontierView()->currentPoint();
        QVERIFY(cur && !cur->measured);
        // 64 rows x 2 blocks x 18 bytes + 64 x 2 bytes = 2432 bytes over 4160 weights.
        QCOMPARE(cur->bytes, quint64(2432));
        QVERIFY(std::fabs(cur->bitsPerWeight - 8.0 * 2432 / 4160) < 1e-12);
        // scale 0.1 x 1/2 x score 2 x SSE 2
        QVERIFY(std::fabs(cur->kld - 0.2) < 1e-15);
        QVERIFY(fa->frontierView()->statusText().contains(QStringLiteral("predicted")));
        // q_proj at q8_0 is the uniform q8_0 point's policy: its measurement, labelled so.
        p->setPrecision({kQ}, prec("q8_0"));
        cur = fa->frontierView()->currentPoint();
        QVERIFY(cur && cur->measured);
        QVERIFY(cur->label.contains(QStringLiteral("= q8_0")));
        QCOMPARE(cur->bytes, quint64(4480));
        QCOMPARE(cur->kld, 0.05);
        p->undoStack()->undo();
        cur = fa->frontierView()->currentPoint();
        QCOMPARE(cur->bytes, quint64(2432));
        QVERIFY(!cur->measured);
    }

    void demoModelFrontierAndValidation() {
        TQ_REQUIRE_FIXTURE("data/gsm8k/test.jsonl");
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        w.openModelDirectory(demoModel());
        QTRY_COMPARE_WITH_TIMEOUT(w.modelDirectory(), demoModel(), 30000);
        FrontierActions* fa = w.frontierActions();
        QString failure;
        connect(w.jobs(), &JobRunner::jobFailed, this,
                [&](int, const QString&, const QString& m) { failure = m; });
        FrontierRequest r;
        r.task.modelDir = demoModel();
        r.task.datasetKind = QStringLiteral("gsm8k");
        r.task.dataFile = QString::fromStdString(tqtest::fixture("data/gsm8k/test.jsonl"));
        r.task.ctx = 64;
        r.task.chunks = 3;
        r.precisions = QStringLiteral("f16,q8_0,q4_0");
        r.bits = QStringLiteral("6,9");
        // Cancelled at once: nothing reaches the view.
        QSignalSpy cancelled(w.jobs(), &JobRunner::jobCancelled);
        const int first = fa->computeFrontier(r);
        QVERIFY(first > 0);
        w.jobs()->cancel(first);
        QVERIFY(w.jobs()->waitForIdle(600000));
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!fa->frontier());
        QVERIFY(fa->frontierView()->points().empty());

        QVERIFY(fa->computeFrontier(r) > 0);
        QVERIFY(w.jobs()->waitForIdle(600000));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const auto f = fa->frontier();
        QVERIFY(f);
        QCOMPARE(f->policies.size(), f->points.size());
        int uniform = 0, recipes = 0, errorOnly = 0, q8 = -1;
        for (int i = 0; i < int(f->points.size()); ++i) {
            const auto& pt = f->points[std::size_t(i)];
            uniform += pt.kind == QLatin1String("uniform");
            recipes += pt.kind == QLatin1String("recipe");
            errorOnly += pt.family() == QLatin1String("error-only");
            if (pt.label == QLatin1String("q8_0"))
                q8 = i;
            // The live-cost sizes are the engine's sizes for the same policy.
            QCOMPARE(policyCost(f->policies[std::size_t(i)], *f).bytes, pt.bytes);
            QVERIFY(pt.kld >= 0 && pt.ppl > 1);
        }
        QCOMPARE(uniform, 2); // q8_0, q4_0
        QVERIFY(recipes > 0); // llama: llama.cpp's mixes
        QVERIFY(errorOnly + f->infeasible.size() == 2);
        QVERIFY(q8 >= 0);
        // The tab names what the uniform points really kept: the q8_0 point's own policy.
        const policy::Policy& u = f->policies[std::size_t(q8)];
        const QString base = QStringLiteral("embedding %1, head %2")
                                 .arg(QString::fromStdString(u.embeddings.name()),
                                      QString::fromStdString(u.lmHead.name()));
        QCOMPARE(f->uniformBase, base);
        bool named = false;
        for (QLabel* l : fa->frontierView()->findChildren<QLabel*>())
            named = named || l->text().contains(QStringLiteral("Uniform family: ") + base);
        QVERIFY(named);
        QVERIFY(f->scale > 0);
        QCOMPARE(fa->frontierView()->points().size(), f->points.size());
        QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(fa->frontierView()));

        // Load uniform q8_0, then measure the current policy: the frontier's own numbers.
        QVERIFY(fa->loadPoint(q8));
        auto cur = fa->frontierView()->currentPoint();
        QVERIFY(cur && cur->measured && cur->label.contains(QStringLiteral("= q8_0")));
        QCOMPARE(cur->bytes, f->points[std::size_t(q8)].bytes);
        QVERIFY(fa->measureCurrentPolicy() > 0);
        QVERIFY(w.jobs()->waitForIdle(600000));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        cur = fa->frontierView()->currentPoint();
        QVERIFY(cur && cur->measured);
        QCOMPARE(cur->bytes, f->points[std::size_t(q8)].bytes);
        const double k = f->points[std::size_t(q8)].kld;
        QVERIFY2(std::fabs(cur->kld - k) <= 1e-6 * k,
                 qPrintable(QStringLiteral("%1 vs %2").arg(cur->kld).arg(k)));
        // An edit makes it a prediction again.
        w.policy()->setPrecision({QStringLiteral("model.layers.0.mlp.down_proj.weight")},
                                 prec("f16"));
        QVERIFY(!fa->frontierView()->currentPoint()->measured);

        // Validation with a magnitude map of the demo model.
        MagnitudeRequest m;
        m.modelDir = demoModel();
        w.runMagnitude(m);
        QVERIFY(w.jobs()->waitForIdle(120000));
        QVERIFY(w.heatmapView()->map());
        ValidationRequest vr;
        vr.task = r.task;
        vr.tensors = QStringLiteral("top:3");
        QVERIFY(fa->validate(vr) > 0);
        QVERIFY(w.jobs()->waitForIdle(600000));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        views::ValidationView* vv = fa->validationView();
        QCOMPARE(vv->model()->rowCount(), 3);
        QVERIFY2(vv->titleText().contains(QStringLiteral("Spearman")), qPrintable(vv->titleText()));
        for (const auto& row : vv->model()->rowData())
            QVERIFY(row.measured > 0 && row.predicted > 0);
    }
};

QTEST_MAIN(TstFrontier)
#include "tst_frontier.moc"
