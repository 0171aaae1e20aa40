// Live cost while editing (core/export/live_cost.h, app/studio/live_cost.h) on a generated Llama
// of the first demo model's shape (hidden 96, FFN 256, 3 layers: 96-column rows, so the k-quant
// fallbacks show; the embedded demo model divides 256 everywhere), against independent
// references:
//  * the GGUF file size equals the byte count of the file the exporter really writes
//    (exporting::exportModel), for llama.cpp's Q4_K_M mix and after incremental edits, including
//    a type the shape refuses (the shape fallback then applies in both);
//  * the policy estimate equals what `taskquant policy --recipe Q4_K_M` prints and writes as
//    "estimate" for the same policy;
//  * hand-worked block sizes: a [96, 96] tensor is 288 blocks of 32, so q4_0 -> q8_0 adds
//    288 * (34 - 18) = 4608 bytes to the file; the damage model's 1/2 * score * sse by hand;
//  * the export dialog offers only GGUF types for GGUF and shows the size of the file it writes;
//    the Fisher dialog offers the demo tasks (no file) and starts from the last accepted choices;
//  * the studio's "bpw" of the shipped demo model opened with its Q4_K_M start policy is
//  llama.cpp's
//    bits per weight, summed by hand from the GGUF the exporter writes: 8 x the tensor bytes of
//    the file / all parameters of the file (not the allocated weights only);
//  * the controller follows the PolicyModel (edits, undo) and applying a llama.cpp mix is one
//    undo step (the tensor table checked by QAbstractItemModelTester meanwhile).
#include <cmath>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QUndoStack>
#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include "app/studio/engine_dialogs.h"
#include "app/studio/job_runner.h"
#include "app/studio/live_cost.h"
#include "app/studio/live_cost_ui.h"
#include "app/studio/main_window.h"
#include "app/studio/path_field.h"
#include "app/studio/studio_jobs.h"
#include "core/data/dataset_spec.h"
#include "core/export/export_run.h"
#include "core/export/live_cost.h"
#include "core/io/gguf_reader.h"
#include "core/io/json_file.h"
#include "core/models/synthetic_model.h"
#include "core/policy/recipes.h"
#include "tests/common/fixtures.h"
#include "views/heatmap_canvas.h"
#include "views/heatmap_view.h"
#include "views/policy_editor.h"
#include "views/policy_model.h"
#include "views/tensor_filter_proxy.h"
#include "views/tensor_selection.h"

using namespace taskquant;
using quant::Precision;

namespace {

std::string g_model; // written by initTestCase

std::string demoModel() {
    return g_model;
}

uint64_t writtenGgufBytes(const policy::Policy& p, const QString& path) {
    exporting::exportModel(demoModel(), p, exporting::ExportFormat::Gguf, path.toStdString());
    return uint64_t(QFileInfo(path).size());
}

const std::string kQ0 = "model.layers.0.self_attn.q_proj.weight";
const std::string kK1 = "model.layers.1.self_attn.k_proj.weight";
const std::string kDown2 = "model.layers.2.mlp.down_proj.weight";

} // namespace

class TstLiveCost : public QObject {
    Q_OBJECT
    QTemporaryDir modelDir_;

  private slots:
    void initTestCase() {
        QVERIFY(modelDir_.isValid());
        models::SyntheticSpec spec;
        spec.preset = "llama";
        spec.hiddenSize = 96;
        spec.numLayers = 3;
        spec.numHeads = 4;
        spec.intermediateSize = 256;
        spec.seed = 5;
        g_model = modelDir_.path().toStdString();
        models::writeSyntheticModel(g_model, spec);
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("TaskQuantTest"));
        QSettings().clear();
    }

    void exportDialogOffersGgufTypesAndItsSize() {
        QTemporaryDir tmp;
        const QString dir = QString::fromStdString(demoModel());
        studio::ExportDialog d(dir, {}, Precision::parse("int4_g128"));
        // GGUF: no TaskQuant int4 groups; the default int4_g128 becomes the Q4_K it would be.
        QCOMPARE(d.schemeBox()->findData(QStringLiteral("int4_g128")), -1);
        QCOMPARE(d.schemeBox()->currentData().toString(), QStringLiteral("q4_k"));
        QVERIFY(d.schemeBox()->findData(QStringLiteral("iq4_xs")) >= 0);
        QCOMPARE(d.schemeBox()->count(), 15);
        d.setSizeModel(exporting::liveCostModelOfDirectory(demoModel()));
        d.mixBox()->setCurrentIndex(d.mixBox()->findData(QStringLiteral("Q4_K_M")));
        studio::ExportRequest r = d.request();
        QCOMPARE(r.mix, QStringLiteral("Q4_K_M"));
        r.destination = tmp.filePath(QStringLiteral("m.gguf"));
        studio::runExportJob(r, {});
        const qint64 written = QFileInfo(r.destination).size();
        QVERIFY2(d.sizeText().contains(QStringLiteral("(%1 bytes)").arg(written)),
                 qPrintable(d.sizeText()));
        // the file carries its story (the preview counts it), a model card is written beside
        // it by default, and the studio restores the file's policy from it
        QVERIFY(r.modelCard);
        QVERIFY(QFileInfo::exists(tmp.filePath(QStringLiteral("README.md"))));
        Precision restoredDefault = Precision::parse("f16");
        const auto restored = studio::loadPolicyJson(r.destination, &restoredDefault);
        const policy::Policy mix =
            policy::applyRecipe("Q4_K_M", policy::recipeModelFromDirectory(demoModel()), {}).policy;
        QCOMPARE(restoredDefault.name(), mix.defaultPrecision.name());
        QCOMPARE(int(restored.size()), int(mix.overrides.size()));
        // safetensors: the TaskQuant formats are back
        d.formatBox()->setCurrentIndex(
            d.formatBox()->findData(int(exporting::ExportFormat::SafetensorsDirectory)));
        QVERIFY(d.schemeBox()->findData(QStringLiteral("int4_g128")) >= 0);
    }

    void fisherDialogOffersDemoTasksAndRemembers() {
        const QString dir = QString::fromStdString(demoModel());
        {
            studio::FisherDialog d(dir);
            for (const std::string& k : data::demoTaskKinds())
                QVERIFY(d.datasetBox()->findData(QString::fromStdString(k)) >= 0);
            d.datasetBox()->setCurrentIndex(d.datasetBox()->findData(QStringLiteral("algebra")));
            QVERIFY(!d.dataField()->isEnabled()); // a demo task needs no file
            d.samplesBox()->setValue(17);
            d.accept();
        }
        studio::FisherDialog again(dir);
        QCOMPARE(again.request().datasetKind, QStringLiteral("algebra"));
        QCOMPARE(again.request().samples, 17);
        QVERIFY(!again.dataField()->isEnabled());
        again.datasetBox()->setCurrentIndex(again.datasetBox()->findData(QStringLiteral("gsm8k")));
        QVERIFY(again.dataField()->isEnabled());
    }

    void fileSizeEqualsTheWrittenGguf() {
        QTemporaryDir tmp;
        const auto model = exporting::liveCostModelOfDirectory(demoModel());
        const auto recipe =
            policy::applyRecipe("Q4_K_M", policy::recipeModelFromDirectory(demoModel()));
        exporting::LiveCost cost(model, recipe.policy);
        QCOMPARE(cost.totals().fileBytes,
                 writtenGgufBytes(recipe.policy, tmp.filePath(QStringLiteral("a.gguf"))));

        // Incremental edits, each checked against a fresh export of the edited policy.
        cost.setOverrides({kQ0, kK1}, Precision::parse("q8_0"));
        QCOMPARE(cost.totals().fileBytes,
                 writtenGgufBytes(cost.policy(), tmp.filePath(QStringLiteral("b.gguf"))));
        cost.setOverrides({kDown2}, Precision::parse("f16"));
        cost.setOverrides({kK1}, std::nullopt);
        QCOMPARE(cost.totals().fileBytes,
                 writtenGgufBytes(cost.policy(), tmp.filePath(QStringLiteral("c.gguf"))));
        // q4_k on 96-column rows: llama.cpp falls back to q5_0; the file has it, the policy
        // estimate is invalid (as Policy::estimateSize refuses it).
        cost.setOverrides({kQ0}, Precision::parse("q4_k"));
        QCOMPARE(QString::fromStdString(cost.tensor(kQ0)->storedType), QStringLiteral("q5_0"));
        QVERIFY(!cost.totals().error.empty());
        QVERIFY_THROWS_EXCEPTION(taskquant::Error,
                                 cost.policy().estimateSize({{kQ0, std::vector<int64_t>{96, 96}}}));
        QCOMPARE(cost.totals().fileBytes,
                 writtenGgufBytes(cost.policy(), tmp.filePath(QStringLiteral("d.gguf"))));

        // A whole-policy recompute gives the same totals as the edit history.
        exporting::LiveCost fresh(model, cost.policy());
        QCOMPARE(fresh.totals().fileBytes, cost.totals().fileBytes);
        QCOMPARE(fresh.totals().fileTensorBytes, cost.totals().fileTensorBytes);
    }

    void handWorkedBlockSizes() {
        policy::Policy p;
        p.defaultPrecision = Precision::parse("q4_0");
        exporting::LiveCost cost(exporting::liveCostModelOfDirectory(demoModel()), p);
        QCOMPARE(cost.tensor(kQ0)->fileBytes, uint64_t(288 * 18));
        const uint64_t before = cost.totals().fileBytes;
        cost.setOverrides({kQ0}, Precision::parse("q8_0"));
        QCOMPARE(cost.totals().fileBytes - before, uint64_t(288 * (34 - 18)));
        QCOMPARE(cost.previous().fileBytes, before);
        // down_proj [96, 256]: rows of 256 take q4_k, 96 super-blocks of 144 bytes.
        cost.setOverrides({kDown2}, Precision::parse("q4_k"));
        QCOMPARE(cost.tensor(kDown2)->fileBytes, uint64_t(96 * 144));
        // the norms stay F32 whatever the policy: 96 * 4 bytes (padded to 32: 384)
        cost.setOverrides({"model.norm.weight"}, Precision::parse("q8_0"));
        QCOMPARE(cost.tensor("model.norm.weight")->fileBytes, uint64_t(384));
    }

    void policyEstimateEqualsTheCli() {
        if (!QFileInfo::exists(QString::fromStdString(tqtest::cliPath())))
            QSKIP("the taskquant binary is not built");
        QTemporaryDir tmp;
        const std::string out = tmp.filePath(QStringLiteral("p.json")).toStdString();
        std::string printed;
        QCOMPARE(tqtest::runCommand(tqtest::cliPath() + " policy --recipe Q4_K_M --model '" +
                                        demoModel() + "' --out '" + out + "'",
                                    &printed),
                 0);
        const nlohmann::json j = io::readJsonFile(out);
        policy::Policy p = policy::Policy::readFile(out);
        p.estimate.reset();
        exporting::LiveCost cost(exporting::liveCostModelOfDirectory(demoModel()), p);
        const auto& t = cost.totals();
        QCOMPARE(t.policyBytes, j["estimate"]["bytes"].get<uint64_t>());
        QCOMPARE(t.referenceBytes, j["estimate"]["reference_bytes"].get<uint64_t>());
        QCOMPARE(t.weights, j["estimate"]["weights"].get<int64_t>());
        char line[160];
        std::snprintf(
            line, sizeof line,
            "estimated size: %.2f MiB vs %.2f MiB at f16 (%.3f vs %.3f bits per counted weight)",
            double(t.policyBytes) / 1048576.0, double(t.referenceBytes) / 1048576.0, t.policyBits,
            8.0 * double(t.referenceBytes) / double(t.weights));
        QVERIFY2(printed.find(line) != std::string::npos, printed.c_str());
    }

    void damageByHand() {
        policy::ErrorRow r;
        r.name = kQ0;
        r.shape = {96, 96};
        r.numel = 96 * 96;
        r.error = {0.0, 2.0 / 9216, 8.0 / 9216};
        r.sse = {0.0, 2.0, 8.0};
        auto errors = std::make_shared<const policy::ErrorTable>(
            std::vector<std::string>{"f16", "q8_0", "q4_0"}, std::vector<policy::ErrorRow>{r});
        policy::Policy p; // default int4_g128: not in the table
        exporting::LiveCost cost(exporting::liveCostModelOfDirectory(demoModel()), p);
        cost.setDamageInputs({{kQ0, 0.5}}, errors);
        QVERIFY(cost.totals().hasDamage);
        QCOMPARE(cost.totals().damageMissing, 1);
        QCOMPARE(cost.totals().damage, 0.0);
        cost.setOverrides({kQ0}, Precision::parse("q8_0"));
        QCOMPARE(cost.totals().damage, 0.5); // 1/2 * 0.5 * 2
        cost.setOverrides({kQ0}, Precision::parse("q4_0"));
        QCOMPARE(cost.totals().damage, 2.0); // 1/2 * 0.5 * 8
        QCOMPARE(cost.totals().damage - cost.previous().damage, 1.5);
    }

    void predictedKldInKlUnits() {
        // A table weighted by the task text's Fisher carries each tensor's level (fisher_mean
        // 0.25 here): the damage is then in nats, 1/2 * 0.25 * weighted_sse 4 = 0.5, whatever
        // the map's score (3.0 is ignored), and calibrated. A map-scored table is not calibrated
        // until a scale is known (0.1 nats per unit here: 1/2 * 3 * 8 * 0.1 = 1.2).
        policy::ErrorRow r;
        r.name = kQ0;
        r.shape = {96, 96};
        r.numel = 96 * 96;
        r.error = {0.0, 8.0 / 9216};
        r.sse = {0.0, 8.0};
        r.weightedSse = {0.0, 4.0};
        r.fisherMean = 0.25;
        policy::ErrorTable t({"f16", "q4_0"}, {r});
        t.setImportance("per-weight Fisher of the task text");
        auto fisher = std::make_shared<const policy::ErrorTable>(t);
        policy::Policy p;
        p.overrides[kQ0] = Precision::parse("q4_0");
        exporting::LiveCost cost(exporting::liveCostModelOfDirectory(demoModel()), p);
        cost.setDamageInputs({{kQ0, 3.0}}, fisher);
        QVERIFY(cost.totals().calibrated);
        QCOMPARE(cost.totals().kld, 0.5);
        QVERIFY(!cost.totals().measuredKld);
        cost.setMeasured(0.4);
        QCOMPARE(*cost.totals().measuredKld, 0.4);
        cost.setOverrides({kQ0}, Precision::parse("f16")); // an edit: the measurement is stale
        QVERIFY(!cost.totals().measuredKld);
        QCOMPARE(cost.totals().kld, 0.0);

        r.weightedSse.clear();
        r.fisherMean.reset();
        auto plain = std::make_shared<const policy::ErrorTable>(
            std::vector<std::string>{"f16", "q4_0"}, std::vector<policy::ErrorRow>{r});
        cost.setDamageInputs({{kQ0, 3.0}}, plain);
        cost.setOverrides({kQ0}, Precision::parse("q4_0"));
        QCOMPARE(cost.totals().damage, 12.0);
        QVERIFY(!cost.totals().calibrated);
        cost.setCalibration(0.1);
        QVERIFY(cost.totals().calibrated);
        QVERIFY(std::fabs(cost.totals().kld - 1.2) < 1e-12);
    }

    void controllerFollowsTheEditor() {
        studio::MainWindow w;
        studio::LiveCostController* c = w.liveCost();
        QVERIFY(c);
        c->setModel(exporting::liveCostModelOfDirectory(demoModel()));
        const uint64_t initial = c->cost()->totals().fileBytes;
        w.policy()->setPrecision({QString::fromStdString(kQ0), QString::fromStdString(kK1)},
                                 Precision::parse("q8_0"));
        exporting::LiveCost fresh(c->cost()->model(),
                                  studio::makePolicy(w.currentChoices(), w.defaultPrecision(), {}));
        QCOMPARE(c->cost()->totals().fileBytes, fresh.totals().fileBytes);
        QCOMPARE(c->cost()->totals().policyBytes, fresh.totals().policyBytes);
        QCOMPARE(c->cost()->previous().fileBytes, initial);
        QVERIFY(c->lastUpdateMs() >= 0);
        auto* status = w.findChild<QLabel*>(QStringLiteral("liveCostStatus"));
        QVERIFY(status);
        QVERIFY2(status->text().contains(
                     QStringLiteral("GGUF %1 MiB")
                         .arg(double(fresh.totals().fileBytes) / 1048576.0, 0, 'f', 2)),
                 qPrintable(status->text()));
        QVERIFY(w.policyEditor()->liveCostText().contains(QStringLiteral("GGUF")));
        w.policy()->undoStack()->undo();
        QCOMPARE(c->cost()->totals().fileBytes, initial);
        QCOMPARE(c->shapeOf(QString::fromStdString(kDown2)), (std::vector<int64_t>{96, 256}));
    }

    void dragOnTheHeatmapUpdatesTheLiveCost() {
        // As a user: drag across layer 0-1 q_proj..k_proj on the heatmap, press 8.
        studio::MainWindow w;
        w.resize(1280, 820);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto model = exporting::liveCostModelOfDirectory(demoModel());
        std::vector<sensitivity::MapEntry> entries;
        for (const auto& t : model.tensors) {
            int64_t n = 1;
            for (int64_t d : t.shape)
                n *= d;
            entries.push_back({t.name, 1.0 + double(entries.size()), n, t.shape});
        }
        sensitivity::Provenance prov;
        prov.method = "fisher";
        w.addMaps({std::make_shared<const sensitivity::SensitivityMap>(entries, prov)}, 0);
        w.liveCost()->setModel(model);
        views::HeatmapCanvas* c = w.heatmapView()->canvas();
        const int q = c->columnOfKindLabel(QStringLiteral("q_proj"));
        const int k = c->columnOfKindLabel(QStringLiteral("k_proj"));
        QVERIFY(q >= 0 && k > q);
        const QPoint from = c->cellRect(c->rowOfLayer(0), q).center().toPoint();
        const QPoint to = c->cellRect(c->rowOfLayer(1), k).center().toPoint();
        QTest::mousePress(c->viewport(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(c->viewport(), to);
        QTest::mouseRelease(c->viewport(), Qt::LeftButton, Qt::NoModifier, to);
        QCOMPARE(w.selection()->names().size(), 4);
        const uint64_t before = w.liveCost()->cost()->totals().fileBytes;
        QTest::keyClick(c, Qt::Key_8); // int8_g128: stored as q8_0 in GGUF (the default
                                       // int4_g128 as q4_0 on these 96-column rows)
        const auto& t = w.liveCost()->cost()->totals();
        QCOMPARE(t.fileBytes - before, uint64_t(4 * 288 * (34 - 18)));
        QCOMPARE(w.liveCost()->cost()->previous().fileBytes, before);
        // type colouring paints from the live cost
        w.liveCost()->setColoring(studio::LiveCostController::Coloring::Type);
        QCOMPARE(
            w.liveCost()->cellColor(QString::fromStdString(kQ0)),
            std::optional<QColor>(studio::LiveCostController::typeColor(QStringLiteral("q8_0"))));
        QCOMPARE(
            w.liveCost()->cellColor(QString::fromStdString(kDown2)),
            std::optional<QColor>(studio::LiveCostController::typeColor(QStringLiteral("q4_k"))));
        qInfo("in-app live cost update after the key: %.3f ms", w.liveCost()->lastUpdateMs());
    }

    void studioBpwIsLlamaCppsBitsPerWeight() {
        const QString shipped = QStringLiteral(TASKQUANT_SOURCE_DIR "/resources/demo-model");
        studio::MainWindow w;
        w.openModelDirectory(shipped);
        QTRY_VERIFY_WITH_TIMEOUT(w.policyOrigin().contains(QStringLiteral("Q4_K_M")), 60000);
        QVERIFY(w.jobs()->waitForIdle(120000));
        QVERIFY(w.liveCost()->hasModel());
        // Hand reference: the GGUF of the same policy, its tensor table summed here.
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("q4km.gguf"));
        const auto recipe =
            policy::applyRecipe("Q4_K_M", policy::recipeModelFromDirectory(shipped.toStdString()));
        exporting::exportModel(shipped.toStdString(), recipe.policy, exporting::ExportFormat::Gguf,
                               path.toStdString());
        const auto file = io::GgufFile::open(path.toStdString());
        uint64_t bytes = 0;
        int64_t params = 0;
        for (const auto& t : file->tensors()) {
            bytes += t.nbytes;
            params += t.numel();
        }
        QVERIFY(params > 0);
        const double bpw = 8.0 * double(bytes) / double(params);
        const QString shown = QString::number(bpw, 'f', 3);
        QVERIFY2(w.liveCost()->summaryText().contains(shown + QStringLiteral(" bpw")),
                 qPrintable(w.liveCost()->summaryText() + QStringLiteral(" vs ") + shown));
        QVERIFY2(w.liveCost()->detailHtml().contains(
                     QStringLiteral("Bits per weight</b></td><td>&nbsp;") + shown),
                 qPrintable(w.liveCost()->detailHtml()));
    }

    // Colouring by GGUF type shows a legend (type -> colour), and only then; the colour of the
    // q4_k swatch is the colour the heatmap gives a q4_k cell.
    void typeColouringHasALegend() {
        studio::MainWindow w;
        w.openModelDirectory(QString::fromStdString(demoModel()));
        QVERIFY(w.jobs()->waitForIdle(60000));
        auto* panel = w.findChild<studio::LiveCostPanel*>();
        QVERIFY(panel);
        auto* legend = panel->findChild<QLabel*>(QStringLiteral("typeLegend"));
        QVERIFY(legend);
        QVERIFY(legend->isHidden());
        w.liveCost()->setColoring(studio::LiveCostController::Coloring::Type);
        QVERIFY(!legend->isHidden());
        QVERIFY(legend->text().contains(QStringLiteral("q4_k")));
        QVERIFY(legend->text().contains(
            studio::LiveCostController::typeColor(QStringLiteral("q4_k")).name()));
        w.liveCost()->setColoring(studio::LiveCostController::Coloring::Score);
        QVERIFY(legend->isHidden());
    }

    void applyMixIsOneUndoStep() {
        studio::MainWindow w;
        w.openModelDirectory(QString::fromStdString(demoModel()));
        QVERIFY(w.jobs()->waitForIdle(60000));
        QVERIFY(w.liveCost()->hasModel());
        // From an empty editor (not the Q4_K_M start policy the model opened with).
        w.policy()->replaceAll({}, QStringLiteral("clear"));
        w.policy()->undoStack()->clear();
        QAbstractItemModelTester tester(w.policyEditor()->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int undoBefore = w.policy()->undoStack()->count();
        QVERIFY(studio::applyLlamaMix(&w, QStringLiteral("Q4_K_M")) > 0);
        QVERIFY(w.jobs()->waitForIdle(60000));
        QCOMPARE(w.policy()->undoStack()->count(), undoBefore + 1);
        const auto recipe =
            policy::applyRecipe("Q4_K_M", policy::recipeModelFromDirectory(demoModel()));
        for (const auto& t : recipe.tensors)
            QCOMPARE(w.policy()->precision(QString::fromStdString(t.name)), t.type);
        exporting::LiveCost expected(w.liveCost()->cost()->model(), recipe.policy);
        QCOMPARE(w.liveCost()->cost()->totals().fileBytes, expected.totals().fileBytes);
        w.policy()->undoStack()->undo();
        QVERIFY(w.policy()->choices().isEmpty());
    }
};

QTEST_MAIN(TstLiveCost)
#include "tst_live_cost.moc"
