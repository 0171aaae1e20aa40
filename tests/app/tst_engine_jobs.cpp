// The studio's engine actions on the embedded demo model (a tiny Llama), through the job
// runner as the menus start them: opening the model enables the actions; a Fisher job on a few
// samples of a text file puts a map with one row per weight tensor into the views (and saves it
// atomically when asked); cancelling Fisher or an export leaves nothing at the destination;
// exports (GGUF, safetensors directory, tensor-type file) produce files the core readers parse;
// policy evaluation gives finite metrics; bad inputs end in one error naming the file.
#include <QAction>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QtTest/QtTest>
#include <cmath>

#include "app/studio/engine_dialogs.h"
#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "core/export/gguf_export.h"
#include "core/io/gguf_reader.h"
#include "core/io/safetensors.h"
#include "core/policy/policy.h"
#include "tests/common/fixtures.h"
#include "views/heatmap_canvas.h"
#include "views/heatmap_view.h"
#include "views/map_list_model.h"
#include "views/policy_editor.h"
#include "views/policy_model.h"

using namespace taskquant;
using namespace taskquant::studio;

namespace {

// num_hidden_layers as the model's config.json states it.
int configLayers(const QString& dir) {
    QFile f(dir + QStringLiteral("/config.json"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return QJsonDocument::fromJson(f.readAll())
        .object()
        .value(QStringLiteral("num_hidden_layers"))
        .toInt(-1);
}

QString demoModel() {
    return QStringLiteral(TASKQUANT_SOURCE_DIR "/resources/demo-model");
}

// Names of the model's ".weight" tensors (what Fisher scores).
QSet<QString> weightTensors() {
    auto f = io::SafetensorsFile::open(
        (demoModel() + QStringLiteral("/model.safetensors")).toStdString());
    QSet<QString> out;
    for (const auto& t : f->tensors())
        if (QString::fromStdString(t.name).endsWith(QLatin1String(".weight")))
            out.insert(QString::fromStdString(t.name));
    return out;
}

int safetensorsCount() {
    return int(io::SafetensorsFile::open(
                   (demoModel() + QStringLiteral("/model.safetensors")).toStdString())
                   ->tensors()
                   .size());
}

// `n` paragraphs of simple English, blank-line separated (the "text" data set kind).
QString writeText(const QTemporaryDir& dir, const QString& name, int n) {
    static const char* const words[] = {"the", "cat", "sat", "on", "a",   "mat", "and",  "then",
                                        "one", "dog", "ran", "to", "big", "red", "ball", "home"};
    QString text;
    for (int p = 0; p < n; ++p) {
        for (int w = 0; w < 40; ++w)
            text +=
                QLatin1String(words[(p * 7 + w * 3) % 16]) + QLatin1Char(w % 10 == 9 ? '.' : ' ');
        text += QStringLiteral("\n\n");
    }
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text.toUtf8());
    return path;
}

// Waits (in an event loop, so queued results arrive at once) until job `id` ends; returns
// "finished", "cancelled" or "failed: <message>".
QString waitForJob(JobRunner* jobs, int id) {
    QString outcome;
    QEventLoop loop;
    QObject ctx;
    QObject::connect(jobs, &JobRunner::jobFinished, &ctx, [&](int j) {
        if (j == id) {
            outcome = QStringLiteral("finished");
            loop.quit();
        }
    });
    QObject::connect(jobs, &JobRunner::jobCancelled, &ctx, [&](int j) {
        if (j == id) {
            outcome = QStringLiteral("cancelled");
            loop.quit();
        }
    });
    QObject::connect(jobs, &JobRunner::jobFailed, &ctx,
                     [&](int j, const QString&, const QString& m) {
                         if (j == id) {
                             outcome = QStringLiteral("failed: ") + m;
                             loop.quit();
                         }
                     });
    QTimer guard; // against a hang only; jobs here take seconds
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(600000);
    if (jobs->isRunning(id))
        loop.exec();
    return outcome;
}

QStringList entries(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

} // namespace

class TstEngineJobs : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TaskQuantTest"));
        QSettings().clear();
        QVERIFY2(QFileInfo::exists(demoModel() + QStringLiteral("/config.json")),
                 qPrintable(demoModel()));
    }

    void openingModelEnablesEngineActions() {
        MainWindow w;
        QCOMPARE(w.engineActions().size(), 4);
        for (QAction* a : w.engineActions())
            QVERIFY2(!a->isEnabled(), qPrintable(a->text()));
        QSignalSpy finished(w.jobs(), &JobRunner::jobFinished);
        w.openModelDirectory(demoModel());
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
        QCOMPARE(w.modelDirectory(), demoModel());
        for (QAction* a : w.engineActions())
            QVERIFY2(a->isEnabled(), qPrintable(a->text()));
    }

    void fisherDialogBuildsRequest() {
        FisherDialog d(demoModel());
        FisherRequest in;
        in.modelDir = demoModel();
        in.datasetKind = QStringLiteral("jsonl");
        in.dataFile = QStringLiteral("/data/x.jsonl");
        in.field = QStringLiteral("text");
        in.samples = 12;
        in.maxLength = 48;
        in.seed = 7;
        in.clipPercentile.reset();
        in.savePath = QStringLiteral("/tmp/out.json");
        d.setRequest(in);
        const FisherRequest r = d.request();
        QCOMPARE(r.modelDir, demoModel());
        QCOMPARE(r.datasetKind, QStringLiteral("jsonl"));
        QCOMPARE(r.dataFile, in.dataFile);
        QCOMPARE(r.field, QStringLiteral("text"));
        QCOMPARE(r.samples, 12);
        QCOMPARE(r.maxLength, 48);
        QCOMPARE(r.seed, quint64(7));
        QVERIFY(!r.clipPercentile.has_value());
        QCOMPARE(r.device, QStringLiteral("cpu"));
        QCOMPARE(r.savePath, in.savePath);
        // Defaults: 64 samples, clipping at the 99th percentile, GSM8K.
        FisherDialog fresh(demoModel());
        QCOMPARE(fresh.request().samples, 64);
        QCOMPARE(fresh.request().clipPercentile.value_or(0), 99.0);
        QCOMPARE(fresh.request().datasetKind, QStringLiteral("gsm8k"));
    }

    void evaluateDialogFitsTheModelsContext() {
        // The demo model knows 256 positions: the dialog offers llama-perplexity's 512 only up
        // to what the model can take.
        EvaluateDialog demo(demoModel(), {}, quant::Precision::parse("int4_g128"));
        QCOMPARE(demo.request().ctx, 256);
        QCOMPARE(demo.findChild<QSpinBox*>()->maximum(), 256);
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(
            R"({"model_type": "llama", "architectures": ["LlamaForCausalLM"], "vocab_size": 32,
            "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
            "max_position_embeddings": 4096})");
        config.close();
        EvaluateDialog large(dir.path(), {}, quant::Precision::parse("int4_g128"));
        QCOMPARE(large.request().ctx, 512);
        EvaluateDialog missing(QStringLiteral("/nonexistent"), {},
                               quant::Precision::parse("int4_g128"));
        QCOMPARE(missing.request().ctx, 512);
    }

    void fisherMapArrivesInViews() {
        QTemporaryDir dir;
        const QString text = writeText(dir, QStringLiteral("calib.txt"), 12);
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        FisherRequest r;
        r.modelDir = demoModel();
        r.datasetKind = QStringLiteral("text");
        r.dataFile = text;
        r.samples = 6;
        r.maxLength = 32;
        r.savePath = dir.filePath(QStringLiteral("fisher.json"));
        const int id = w.runFisher(r);
        QVERIFY(id > 0);
        QCOMPARE(waitForJob(w.jobs(), id), QStringLiteral("finished"));

        const auto map = w.heatmapView()->map();
        QVERIFY(map);
        QCOMPARE(QString::fromStdString(map->provenance().method), QStringLiteral("fisher"));
        QCOMPARE(map->provenance().samples, int64_t(6));
        const QSet<QString> expected = weightTensors();
        QCOMPARE(int(map->size()), int(expected.size()));
        QSet<QString> names;
        for (const auto& e : map->entries()) {
            names.insert(QString::fromStdString(e.name));
            QVERIFY(std::isfinite(e.score) && e.score >= 0);
        }
        QCOMPARE(names, expected);
        // One row per tensor in the policy table, one heatmap row per layer of config.json.
        QTRY_COMPARE(w.policyEditor()->table()->model()->rowCount(), int(expected.size()));
        QCOMPARE(w.heatmapView()->canvas()->data().tensors->grid.layerCount(),
                 configLayers(demoModel()));
        QCOMPARE(w.maps()->rowCount(), 1);
        // Saved atomically: the file reads back with the same entries, nothing else in the dir.
        const auto back = sensitivity::SensitivityMap::readFile(r.savePath.toStdString());
        QCOMPARE(back.size(), map->size());
        QCOMPARE(entries(dir),
                 (QStringList{QStringLiteral("calib.txt"), QStringLiteral("fisher.json")}));

        // A magnitude map of the same model goes to the scatter, the Fisher map stays.
        MagnitudeRequest m;
        m.modelDir = demoModel();
        const int mid = w.runMagnitude(m);
        QCOMPARE(waitForJob(w.jobs(), mid), QStringLiteral("finished"));
        QCOMPARE(w.maps()->rowCount(), 2);
        QVERIFY(w.heatmapView()->map() == map);

        // Save Map As writes the heatmap's map.
        const QString copy = dir.filePath(QStringLiteral("copy.json"));
        const int sid = w.saveMap(copy);
        QCOMPARE(waitForJob(w.jobs(), sid), QStringLiteral("finished"));
        QCOMPARE(sensitivity::SensitivityMap::readFile(copy.toStdString()).size(), map->size());
    }

    void cancelledFisherLeavesNoFile() {
        QTemporaryDir dir;
        const QString text = writeText(dir, QStringLiteral("calib.txt"), 300);
        MainWindow w;
        FisherRequest r;
        r.modelDir = demoModel();
        r.datasetKind = QStringLiteral("text");
        r.dataFile = text;
        r.samples = 300;
        r.maxLength = 64;
        r.exactLoop = true; // progress after every sample
        r.savePath = dir.filePath(QStringLiteral("fisher.json"));
        int id = 0;
        bool sawCompute = false;
        // Cancel as soon as the computation reports (model loaded, samples under way).
        connect(w.jobs(), &JobRunner::jobProgress, this,
                [&](int j, double fraction, const QString& message) {
                    if (j == id && !sawCompute && message.startsWith(QLatin1String("fisher"))) {
                        sawCompute = true;
                        w.jobs()->cancel(id);
                    }
                });
        id = w.runFisher(r);
        QCOMPARE(waitForJob(w.jobs(), id), QStringLiteral("cancelled"));
        QVERIFY(sawCompute);
        QVERIFY(!QFileInfo::exists(r.savePath));
        QCOMPARE(entries(dir), QStringList{QStringLiteral("calib.txt")});
        QVERIFY(w.heatmapView()->map() == nullptr); // a cancelled result never reaches the views
        QCOMPARE(w.maps()->rowCount(), 0);
    }

    void exportsGgufThroughJobRunner() {
        QTemporaryDir dir;
        MainWindow w;
        w.openModelDirectory(demoModel());
        QTRY_COMPARE_WITH_TIMEOUT(w.modelDirectory(), demoModel(), 60000);
        QVERIFY(w.jobs()->waitForIdle(60000));
        // An editor with one choice over the int4_g128 default (not the Q4_K_M start policy).
        w.policy()->replaceAll({}, QStringLiteral("clear"));
        w.applyDefaultPrecision(quant::Precision::parse("int4_g128"));
        const QString q0 = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
        w.policy()->setPrecision({q0}, quant::Precision::parse("q8_0"));

        ExportDialog d(w.modelDirectory(), w.currentChoices(), w.defaultPrecision());
        ExportRequest r = d.request();
        QVERIFY(r.format == exporting::ExportFormat::Gguf);
        QCOMPARE(r.choices.size(), 1);
        // GGUF has no int4_g128 (the editor's default): the dialog offers the Q4_K it becomes.
        QVERIFY(w.defaultPrecision() == quant::Precision::parse("int4_g128"));
        QVERIFY(r.defaultPrecision == quant::Precision::parse("q4_k"));
        r.destination = dir.filePath(QStringLiteral("demo.gguf"));
        const int id = w.exportModel(r);
        QCOMPARE(waitForJob(w.jobs(), id), QStringLiteral("finished"));

        const auto gguf = io::GgufFile::open(r.destination.toStdString());
        const policy::Policy p = makePolicy(r.choices, r.defaultPrecision, nullptr);
        const auto plan = exporting::planGguf(demoModel().toStdString(), p);
        QCOMPARE(int(gguf->tensors().size()), int(plan.tensors.size()));
        QCOMPARE(int(gguf->tensors().size()), safetensorsCount());
        const auto* t = gguf->find("blk.0.attn_q.weight");
        QVERIFY(t);
        QVERIFY(t->type == io::GgmlType::Q8_0);
        // the studio writes a model card beside a GGUF by default (model_card.h)
        QVERIFY(r.modelCard);
        QCOMPARE(entries(dir),
                 (QStringList{QStringLiteral("demo.gguf"), QStringLiteral("README.md")}));

        // The other two formats.
        r.format = exporting::ExportFormat::TensorTypeFile;
        r.destination = dir.filePath(QStringLiteral("types.txt"));
        QCOMPARE(waitForJob(w.jobs(), w.exportModel(r)), QStringLiteral("finished"));
        QFile types(r.destination);
        QVERIFY(types.open(QIODevice::ReadOnly));
        QVERIFY(
            QString::fromUtf8(types.readAll()).contains(QLatin1String("blk.0.attn_q.weight=q8_0")));
        r.format = exporting::ExportFormat::SafetensorsDirectory;
        r.destination = dir.filePath(QStringLiteral("demo-quant"));
        QCOMPARE(waitForJob(w.jobs(), w.exportModel(r)), QStringLiteral("finished"));
        QCOMPARE(int(io::SafetensorsFile::open(
                         (r.destination + QStringLiteral("/model.safetensors")).toStdString())
                         ->tensors()
                         .size()),
                 safetensorsCount());
        QVERIFY(QFileInfo::exists(r.destination + QStringLiteral("/config.json")));
    }

    void cancelledExportLeavesNothing() {
        QTemporaryDir dir;
        MainWindow w;
        ExportRequest r;
        r.modelDir = demoModel();
        int id = 0;
        // Cancel the moment the job starts (before its worker runs): deterministic.
        connect(w.jobs(), &JobRunner::jobStarted, this, [&](int j) { w.jobs()->cancel(j); });
        for (auto [format, name] :
             {std::pair{exporting::ExportFormat::Gguf, "demo.gguf"},
              std::pair{exporting::ExportFormat::SafetensorsDirectory, "demo-dir"},
              std::pair{exporting::ExportFormat::TensorTypeFile, "types.txt"}}) {
            r.format = format;
            r.destination = dir.filePath(QLatin1String(name));
            id = w.exportModel(r);
            QCOMPARE(waitForJob(w.jobs(), id), QStringLiteral("cancelled"));
            QVERIFY(!QFileInfo::exists(r.destination));
            QCOMPARE(entries(dir), QStringList());
        }
    }

    void evaluatePolicyGivesFiniteMetrics() {
        QTemporaryDir dir;
        const QString text = writeText(dir, QStringLiteral("eval.txt"), 20);
        MainWindow w;
        w.show();
        w.policy()->setPrecision({QStringLiteral("model.layers.1.mlp.down_proj.weight")},
                                 quant::Precision::parse("f16"));
        EvaluationRequest r;
        r.modelDir = demoModel();
        r.textFile = text;
        r.ctx = 32;
        r.maxChunks = 4;
        r.choices = w.currentChoices();
        r.defaultPrecision = quant::Precision::parse("int4_g32");
        const int id = w.evaluatePolicy(r);
        QCOMPARE(waitForJob(w.jobs(), id), QStringLiteral("finished"));
        const EvaluationPtr result = w.lastEvaluation();
        QVERIFY(result);
        QCOMPARE(int(result->rows.size()), 2);
        QVERIFY(result->rows[0].baseline);
        for (const auto& row : result->rows) {
            QCOMPARE(row.chunks, int64_t(4));
            for (double v : {row.ppl, row.kldMean, row.kldP99, row.kldMax, row.sameTop1,
                             row.meanDeltaP, row.rmsDeltaP})
                QVERIFY2(std::isfinite(v), row.name.c_str());
            QVERIFY(row.ppl > 1.0);
            QVERIFY(row.sameTop1 >= 0 && row.sameTop1 <= 1);
            QVERIFY(row.kldMean >= 0 && row.kldMax >= row.kldP99);
        }
        QCOMPARE(result->rows[0].kldMean, 0.0);
        QVERIFY(result->rows[1].bytes < result->rows[0].bytes); // 4-bit is smaller than fp32
        QVERIFY(w.evaluationDialog());
        QCOMPARE(w.evaluationDialog()->table()->rowCount(), 2);
    }

    void badInputsFailWithTheFileNamed() {
        QTemporaryDir dir;
        MainWindow w;
        FisherRequest f;
        f.modelDir = demoModel();
        f.datasetKind = QStringLiteral("gsm8k");
        f.dataFile = dir.filePath(QStringLiteral("missing.jsonl"));
        QString outcome = waitForJob(w.jobs(), w.runFisher(f));
        QVERIFY2(outcome.startsWith(QLatin1String("failed: ")) && outcome.contains(f.dataFile),
                 qPrintable(outcome));

        // A file that is not JSON Lines.
        const QString bad = writeText(dir, QStringLiteral("bad.jsonl"), 3);
        f.dataFile = bad;
        outcome = waitForJob(w.jobs(), w.runFisher(f));
        QVERIFY2(outcome.startsWith(QLatin1String("failed: ")) && outcome.contains(bad),
                 qPrintable(outcome));

        // Not a model directory.
        MagnitudeRequest m;
        m.modelDir = dir.path();
        outcome = waitForJob(w.jobs(), w.runMagnitude(m));
        QVERIFY2(outcome.contains(QLatin1String("config.json")), qPrintable(outcome));

        // Export into a folder that does not exist.
        ExportRequest e;
        e.modelDir = demoModel();
        e.destination = dir.filePath(QStringLiteral("no/such/dir/x.gguf"));
        outcome = waitForJob(w.jobs(), w.exportModel(e));
        QVERIFY2(outcome.startsWith(QLatin1String("failed: ")) && outcome.contains(e.destination),
                 qPrintable(outcome));

        // Evaluation text too short for one window.
        EvaluationRequest r;
        r.modelDir = demoModel();
        r.textFile = writeText(dir, QStringLiteral("short.txt"), 1);
        r.ctx = 4096;
        outcome = waitForJob(w.jobs(), w.evaluatePolicy(r));
        QVERIFY2(outcome.startsWith(QLatin1String("failed: ")), qPrintable(outcome));
        QVERIFY(!w.lastEvaluation());
        QCOMPARE(w.maps()->rowCount(), 0);
    }
};

QTEST_MAIN(TstEngineJobs)
#include "tst_engine_jobs.moc"
