// The studio window on the real Phi-2 maps: opening them through the job runner shows 32 layer
// rows (plus embeddings, final norm, lm_head), a drag on the heatmap sets precisions that undo
// restores, the scatter and policy table follow the shared selection, CSV export and policy
// save produce files through the job runner, and a policy file round-trips.
#include <QSettings>
#include <QTableView>
#include <QUndoStack>
#include <QtTest/QtTest>

#include "app/studio/job_runner.h"
#include "app/studio/main_window.h"
#include "app/studio/map_roles.h"
#include "app/studio/message_bar.h"
#include "app/studio/studio_jobs.h"
#include "tests/common/fixtures.h"
#include "views/heatmap_canvas.h"
#include "views/heatmap_view.h"
#include "views/map_list_model.h"
#include "views/policy_editor.h"
#include "views/policy_model.h"
#include "views/scatter_view.h"
#include "views/task_diff_view.h"
#include "views/tensor_selection.h"

using namespace taskquant;
using namespace taskquant::studio;

namespace {
QString phi(const char* file) {
    return QString::fromStdString(tqtest::fixture(std::string("maps/taskquant-phi2/") + file));
}
} // namespace

class TstMainWindow : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("TaskQuantTest"));
        QSettings().clear();
    }

    void opensPhi2MapsAndEditsPolicy() {
        TQ_REQUIRE_FIXTURE("maps/taskquant-phi2/fisher_gsm8k_mean.json");
        MainWindow w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.openMaps({phi("fisher_gsm8k_mean.json"), phi("magnitude_gsm8k.json"),
                    phi("fisher_math_mean.json")});
        QTRY_COMPARE_WITH_TIMEOUT(w.maps()->rowCount(), 3, 30000);
        QTRY_VERIFY(w.heatmapView()->map() != nullptr);

        views::HeatmapCanvas* c = w.heatmapView()->canvas();
        const auto& grid = c->data().tensors->grid;
        QCOMPARE(grid.layerCount(), 32);
        QCOMPARE(int(grid.rows.size()), 35); // embeddings, 32 layers, final norm, lm_head
        QCOMPARE(grid.columnLabels.size(), std::size_t(7)); // q k v dense fc1 fc2 input_layernorm
        QCOMPARE(w.heatmapView()->map()->size(), std::size_t(227));
        // Roles: Fisher GSM8K in the heatmap, magnitude in the scatter, MATH in the diff.
        QCOMPARE(int(w.scatterView()->comparison().rows.size()), 227);
        QCOMPARE(int(w.diffView()->comparison().rows.size()), 227);

        // Drag from layer 3 q_proj to layer 5 v_proj; 4 sets int4; undo restores.
        const int q = c->columnOfKindLabel(QStringLiteral("q_proj"));
        const int v = c->columnOfKindLabel(QStringLiteral("v_proj"));
        QVERIFY(q >= 0 && v > q);
        QWidget* vp = c->viewport();
        const QPoint from = c->cellRect(c->rowOfLayer(3), q).center().toPoint();
        const QPoint to = c->cellRect(c->rowOfLayer(5), v).center().toPoint();
        QTest::mousePress(vp, Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(vp, to);
        QTest::mouseRelease(vp, Qt::LeftButton, Qt::NoModifier, to);
        QSet<QString> expected;
        for (int l = 3; l <= 5; ++l)
            for (const char* k : {"q_proj", "k_proj", "v_proj"})
                expected.insert(QStringLiteral("model.layers.%1.self_attn.%2.weight")
                                    .arg(l)
                                    .arg(QLatin1String(k)));
        QCOMPARE(w.selection()->names(), expected);
        QTest::keyClick(c, Qt::Key_4);
        QCOMPARE(w.policy()->choices().size(), 9);
        for (const QString& n : expected)
            QCOMPARE(w.policy()->precision(n), quant::Precision::parse("int4_g128"));
        // The policy table selects the same 9 rows and shows the precision.
        QTRY_COMPARE(w.policyEditor()->table()->selectionModel()->selectedRows().size(), 9);
        QVERIFY(w.policyEditor()->summaryText().startsWith(QStringLiteral("9 tensor")));
        // The scatter rings the same 9 points.
        QStringList ringed = w.scatterView()->highlightedTensors();
        QCOMPARE(QSet<QString>(ringed.begin(), ringed.end()), expected);

        w.policy()->undoStack()->undo();
        QVERIFY(w.policy()->choices().isEmpty());
        w.policy()->undoStack()->redo();
        QCOMPARE(w.policy()->choices().size(), 9);

        // CSV export through the job runner: 227 rows with the chosen precisions.
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("phi2.csv"));
        QSignalSpy finished(w.jobs(), &JobRunner::jobFinished);
        const int id = w.exportCsv(csv);
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().at(0).toInt() == id, 20000);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 228);
        QCOMPARE(lines.first(), QStringLiteral("name,layer,kind,numel,score,rank,precision"));
        QCOMPARE(lines.filter(QStringLiteral(",int4_g128")).size(), 9);
        const QStringList top =
            lines.filter(QStringLiteral("model.layers.29.input_layernorm.weight,"));
        QCOMPARE(top.size(), 1);
        QCOMPARE(top.first().section(QLatin1Char(','), 5, 5), QStringLiteral("1")); // rank 1

        // Policy round trip, through the job runner.
        QSignalSpy failed(w.jobs(), &JobRunner::jobFailed);
        const QString policyFile = dir.filePath(QStringLiteral("policy.json"));
        const int saveId = w.savePolicy(policyFile);
        QVERIFY(saveId > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().at(0).toInt() == saveId,
                                 20000);
        quant::Precision def;
        const auto back = loadPolicyJson(policyFile, &def);
        QCOMPARE(back, w.policy()->choices());
        QCOMPARE(def, quant::Precision::parse("int4_g128"));

        // Plot export (PNG, SVG and PDF) of the heatmap tab, through the job runner.
        for (const char* name : {"heat.png", "heat.svg", "heat.pdf"}) {
            const QString out = dir.filePath(QLatin1String(name));
            const int plotId = w.exportPlot(out);
            QVERIFY2(plotId > 0, qPrintable(w.messageBar()->text()));
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().at(0).toInt() == plotId,
                                     20000);
            QVERIFY(QFileInfo(out).size() > 1000);
        }
        QCOMPARE(failed.count(), 0);
    }

    void optimiseWithinBudget() {
        // 8 linear weights of one shape, distinct scores, in a versioned map with shapes.
        QTemporaryDir dir;
        std::vector<sensitivity::MapEntry> e;
        const char* kinds[] = {"q_proj", "k_proj", "v_proj", "o_proj"};
        for (int l = 0; l < 2; ++l)
            for (int k = 0; k < 4; ++k)
                e.push_back(
                    {"model.layers." + std::to_string(l) + ".self_attn." + kinds[k] + ".weight",
                     double(1 + l * 4 + k) * (k == 2 ? 10 : 1), 128 * 128,
                     std::vector<int64_t>{128, 128}});
        sensitivity::Provenance prov;
        prov.method = "fisher";
        const QString file = dir.filePath(QStringLiteral("fisher_small.json"));
        sensitivity::SensitivityMap(e, prov).writeFile(file.toStdString());

        MainWindow w;
        w.openMaps({file});
        QTRY_VERIFY_WITH_TIMEOUT(w.heatmapView()->map() != nullptr, 20000);
        QSignalSpy finished(w.jobs(), &JobRunner::jobFinished);
        const int id = w.optimise(6.0);
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().at(0).toInt() == id, 30000);
        const auto& choices = w.policy()->choices();
        QCOMPARE(choices.size(), 8);
        // Budget: bytes * 8 / weights over the 8 tensors, from the codecs' sizes, <= 6.
        uint64_t bytes = 0;
        for (const auto& p : choices)
            bytes += p.bytes({128, 128});
        QVERIFY2(8.0 * double(bytes) / (8.0 * 128 * 128) <= 6.0 + 1e-9,
                 qPrintable(QString::number(8.0 * double(bytes) / (8.0 * 128 * 128))));
        // Same size, so more sensitive tensors never get fewer bits.
        for (const auto& x : e)
            for (const auto& y : e)
                if (x.score > y.score)
                    QVERIFY(choices.value(QString::fromStdString(x.name)).bits >=
                            choices.value(QString::fromStdString(y.name)).bits);
        QVERIFY(choices.value(QStringLiteral("model.layers.1.self_attn.v_proj.weight")).bits > 4);
        w.policy()->undoStack()->undo();
        QVERIFY(w.policy()->choices().isEmpty());
    }

    void brokenMapShowsError() {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("broken.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"a\": [1, 2");
        f.close();
        MainWindow w;
        QSignalSpy failed(w.jobs(), &JobRunner::jobFailed);
        w.openMaps({bad});
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QVERIFY(failed.first().at(2).toString().contains(bad));
        QCOMPARE(w.maps()->rowCount(), 0);
        // Shown inline in the message bar (no modal dialog), with the file named.
        QVERIFY(w.messageBar()->isVisibleTo(&w));
        QVERIFY(w.messageBar()->text().contains(bad));
    }

    void guessesRoles() {
        auto map = [](const std::string& file, const std::string& method) {
            sensitivity::Provenance p;
            p.method = method;
            return std::make_shared<const sensitivity::SensitivityMap>(
                std::vector<sensitivity::MapEntry>{{"x.weight", 1.0, 1, std::nullopt}}, p,
                std::nullopt, file);
        };
        // Flat maps: families from file names.
        const auto r =
            guessMapRoles({map("/m/magnitude_gsm8k.json", ""), map("/m/fisher_gsm8k_mean.json", ""),
                           map("/m/fisher_math_mean.json", "")});
        QCOMPARE(r.primary, 1);
        QCOMPARE(r.magnitude, 0);
        QCOMPARE(r.compare, 2);
        // Versioned maps: the method wins over the name.
        const auto s =
            guessMapRoles({map("/m/a.json", "magnitude_l2"), map("/m/b.json", "fisher")});
        QCOMPARE(s.primary, 1);
        QCOMPARE(s.magnitude, 0);
        QCOMPARE(s.compare, -1);
        QCOMPARE(guessMapRoles({map("/m/x.json", "perturbation")}).primary, 0);
        QCOMPARE(guessMapRoles({}).primary, -1);
    }
};

QTEST_MAIN(TstMainWindow)
#include "tst_main_window.moc"
