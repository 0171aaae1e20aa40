// The studio's optimal allocation is the CLI's (issue 27, one allocator): on stories260K with a
// Fisher map and an error table of the task text, the studio's Optimise path (optimiseChoices,
// what MainWindow::optimise runs) and `taskquant policy --method optimal --budget-bytes B
// --model DIR` give every tensor of the GGUF file the same precision and the same tensor bytes;
// without an error table the studio's bits proxy is the CLI's --error-proxy bits. The budgets
// the user types become GGUF tensor bytes by the rules worked here from the checkpoint's header
// (bits per weight x parameters / 8, MiB x 2^20, rounded down). An unreachable budget is
// reported with the user's number and the smallest reachable size, which the CLI names too.
//
// References, none produced by the studio code under test: the CLI binary's policy files and
// its error message; the parameter count summed from the safetensors header here.
#include <QStatusBar>
#include <QtTest/QtTest>
#include <cmath>

#include "app/studio/job_runner.h"
#include "app/studio/live_cost.h"
#include "app/studio/main_window.h"
#include "app/studio/message_bar.h"
#include "app/studio/studio_jobs.h"
#include "core/io/safetensors.h"
#include "core/policy/error_table.h"
#include "core/policy/policy.h"
#include "tests/common/fixtures.h"
#include "views/heatmap_view.h"
#include "views/policy_editor.h"
#include "views/policy_model.h"

using namespace taskquant;
using namespace taskquant::studio;

namespace {

const char* kStories = "models/stories260K";
const char* kGsm8k = "data/gsm8k/test.jsonl";

std::string q(const QString& s) {
    return "'" + s.toStdString() + "'";
}
std::string q(const std::string& s) {
    return "'" + s + "'";
}
int run(const std::string& args, std::string* out) {
    return tqtest::runCommand(tqtest::cliPath() + " " + args, out);
}

} // namespace

class TstStudioAllocation : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const std::string& name) { return dir_.filePath(QString::fromStdString(name)); }
    std::string model_;
    int64_t parameters_ = 0;
    MapPtr map_;
    std::shared_ptr<const policy::ErrorTable> errors_;

    // The CLI's policy at `budget` bytes (with or without the error table).
    policy::Policy cliPolicy(uint64_t budget, bool withErrors, const std::string& out) {
        std::string log;
        const int rc = run(
            "policy " + q(path("m.json")) + " --method optimal " +
                (withErrors ? "--errors " + q(path("e.json")) : std::string("--error-proxy bits")) +
                " --budget-bytes " + std::to_string(budget) + " --model " + q(model_) + " --out " +
                q(path(out)),
            &log);
        if (rc != 0)
            qWarning("%s", log.c_str());
        return rc == 0 ? policy::Policy::readFile(path(out).toStdString()) : policy::Policy{};
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        if (!QFileInfo::exists(QString::fromStdString(tqtest::fixture(kStories))) ||
            !QFileInfo::exists(QString::fromStdString(tqtest::fixture(kGsm8k))))
            return; // each test skips (or fails under CI) on its own
        model_ = tqtest::fixture(kStories);
        const std::string data = tqtest::fixture(kGsm8k);
        std::string log;
        int rc = run("fisher " + q(model_) + " --dataset gsm8k --data " + q(data) +
                         " --samples 4 --max-length 64 --out " + q(path("m.json")),
                     &log);
        QVERIFY2(rc == 0, log.c_str());
        rc = run("errors " + q(model_) + " --dataset gsm8k:" + data +
                     " --ctx 64 --chunks 2 --out " + q(path("e.json")),
                 &log);
        QVERIFY2(rc == 0, log.c_str());
        map_ = std::make_shared<const sensitivity::SensitivityMap>(
            sensitivity::SensitivityMap::readFile(path("m.json").toStdString()));
        errors_ = std::make_shared<const policy::ErrorTable>(
            policy::ErrorTable::readFile(path("e.json").toStdString()));
        // All parameters of the checkpoint, from its header.
        const auto ckpt = io::SafetensorsCheckpoint::openDirectory(model_);
        for (const auto& name : ckpt.names()) {
            int64_t n = 1;
            for (int64_t d : ckpt.find(name)->shape)
                n *= d;
            parameters_ += n;
        }
        QVERIFY(parameters_ > 200000);
    }

    // Same map, table and budget: the studio's policy is the CLI's, tensor by tensor.
    void sameAsCli_data() {
        QTest::addColumn<double>("budget");
        QTest::addColumn<bool>("mib");
        QTest::addColumn<bool>("withErrors");
        // stories260K's smallest file is about 7 bits per weight (172-wide rows stay f16).
        QTest::newRow("7.5 bpw, error table") << 7.5 << false << true;
        QTest::newRow("9 bpw, error table") << 9.0 << false << true;
        QTest::newRow("0.25 MiB, error table") << 0.25 << true << true;
        QTest::newRow("9.5 bpw, bits proxy") << 9.5 << false << false;
    }
    void sameAsCli() {
        TQ_REQUIRE_FIXTURE(kStories);
        TQ_REQUIRE_FIXTURE(kGsm8k);
        QFETCH(double, budget);
        QFETCH(bool, mib);
        QFETCH(bool, withErrors);
        const uint64_t bytes = mib ? uint64_t(std::floor(budget * 1048576.0))
                                   : uint64_t(std::floor(budget * double(parameters_) / 8.0));
        OptimiseRequest r;
        r.map = map_;
        r.errors = withErrors ? errors_ : nullptr;
        r.modelDir = QString::fromStdString(model_);
        r.budget = budget;
        r.unit = mib ? BudgetUnit::MiB : BudgetUnit::BitsPerWeight;
        const OptimiseResult studio = optimiseChoices(r, {});
        QCOMPARE(studio.budgetBytes, bytes);
        QCOMPARE(studio.parameters, parameters_);
        QCOMPARE(studio.proxy, !withErrors);
        QCOMPARE(studio.damageModel, withErrors);

        const std::string out = "cli-" + std::to_string(int(budget * 100)) +
                                (withErrors ? "e" : "p") + (mib ? "m" : "b") + ".json";
        const policy::Policy cli = cliPolicy(bytes, withErrors, out);
        QVERIFY(!cli.overrides.empty());
        // Every tensor of the file: the studio's explicit choice is the CLI policy's precision.
        const auto ckpt = io::SafetensorsCheckpoint::openDirectory(model_);
        int differ = 0, compared = 0;
        for (const auto& name : ckpt.names()) {
            const QString n = QString::fromStdString(name);
            QVERIFY2(studio.choices.contains(n), name.c_str());
            if (studio.choices.value(n) != cli.precisionFor(name)) {
                qWarning("%s: studio %s, CLI %s", name.c_str(),
                         studio.choices.value(n).name().c_str(),
                         cli.precisionFor(name).name().c_str());
                ++differ;
            }
            ++compared;
        }
        QCOMPARE(differ, 0);
        QVERIFY(compared >= 30);
        // More than one precision chosen (the budget binds), the file's bytes within it.
        QSet<QString> used;
        for (const auto& p : studio.choices)
            used.insert(QString::fromStdString(p.name()));
        QVERIFY(used.size() >= 2);
        QVERIFY(studio.tensorBytes <= bytes);
        QCOMPARE(studio.tensorBytes,
                 uint64_t(cli.provenance.params.value("gguf_tensor_bytes", uint64_t(0))));
    }

    // A tied model stored as lm_head.weight only (tinystories-656k): the studio decides the one
    // matrix under the file's name, as the CLI does, and shows it on the map's embedding too.
    void tiedEmbeddingLikeCli() {
        TQ_REQUIRE_FIXTURE("models/tinystories-656k");
        TQ_REQUIRE_FIXTURE(kGsm8k);
        const std::string model = tqtest::fixture("models/tinystories-656k");
        const std::string data = tqtest::fixture(kGsm8k);
        std::string log;
        int rc = run("fisher " + q(model) + " --dataset gsm8k --data " + q(data) +
                         " --samples 4 --max-length 64 --out " + q(path("tm.json")),
                     &log);
        QVERIFY2(rc == 0, log.c_str());
        rc = run("errors " + q(model) + " --dataset gsm8k:" + data + " --ctx 64 --chunks 2 --out " +
                     q(path("te.json")),
                 &log);
        QVERIFY2(rc == 0, log.c_str());
        OptimiseRequest r;
        r.map = std::make_shared<const sensitivity::SensitivityMap>(
            sensitivity::SensitivityMap::readFile(path("tm.json").toStdString()));
        r.errors = std::make_shared<const policy::ErrorTable>(
            policy::ErrorTable::readFile(path("te.json").toStdString()));
        r.modelDir = QString::fromStdString(model);
        r.budget = 0.6; // 629,145 bytes: between the smallest file (371,200) and Q8_0 (698,880)
        r.unit = BudgetUnit::MiB;
        const OptimiseResult studio = optimiseChoices(r, {});
        QCOMPARE(studio.budgetBytes, uint64_t(629145));
        rc = run("policy " + q(path("tm.json")) + " --method optimal --errors " +
                     q(path("te.json")) + " --budget-bytes 629145 --model " + q(model) + " --out " +
                     q(path("tp.json")),
                 &log);
        QVERIFY2(rc == 0, log.c_str());
        const auto cli = policy::Policy::readFile(path("tp.json").toStdString());
        QVERIFY(cli.overrides.count("lm_head.weight"));
        const auto ckpt = io::SafetensorsCheckpoint::openDirectory(model);
        QVERIFY(!ckpt.find("model.embed_tokens.weight"));
        int differ = 0;
        for (const auto& name : ckpt.names())
            differ += studio.choices.value(QString::fromStdString(name)) != cli.precisionFor(name);
        QCOMPARE(differ, 0);
        QCOMPARE(studio.choices.value(QStringLiteral("model.embed_tokens.weight")),
                 cli.precisionFor("lm_head.weight"));
        QCOMPARE(studio.tensorBytes,
                 uint64_t(cli.provenance.params.value("gguf_tensor_bytes", uint64_t(0))));
        QVERIFY(studio.tensorBytes <= 629145 && studio.tensorBytes >= 0.99 * 629145);
    }

    // As a user does it: the window with the model and the map open, the error table the studio
    // measured for the model, Optimise at 9 bits per weight; the CLI with that table (written
    // out) and that budget gives the same precisions. TASKQUANT_SHOT_DIR: a picture of it.
    void windowOptimisesLikeCli() {
        TQ_REQUIRE_FIXTURE(kStories);
        TQ_REQUIRE_FIXTURE(kGsm8k);
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openPaths({QString::fromStdString(model_), path("m.json")});
        QTRY_VERIFY_WITH_TIMEOUT(w.heatmapView()->map() != nullptr, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.liveCost()->errorTable() != nullptr, 120000);
        const auto table = w.liveCost()->errorTable();
        table->writeFile(path("studio-e.json").toStdString());
        QSignalSpy finished(w.jobs(), &JobRunner::jobFinished);
        const int id = w.optimise(9.0, false);
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().at(0).toInt() == id, 60000);
        // The status bar says what the allocation minimised and the bytes it reached.
        const QString said = w.statusBar()->currentMessage();
        QVERIFY2(said.contains(QStringLiteral("predicted KL of the damage model")),
                 qPrintable(said));
        QVERIFY2(said.contains(QStringLiteral("GGUF tensor bytes")), qPrintable(said));
        if (qEnvironmentVariableIsSet("TASKQUANT_SHOT_DIR"))
            w.grab().save(QDir(qEnvironmentVariable("TASKQUANT_SHOT_DIR"))
                              .filePath(QStringLiteral("studio-optimise.png")));
        if (qEnvironmentVariableIsSet("TASKQUANT_SHOT_DIR"))
            if (auto* editor = w.findChild<views::PolicyEditor*>()) {
                editor->resize(1000, 500);
                editor->grab().save(QDir(qEnvironmentVariable("TASKQUANT_SHOT_DIR"))
                                        .filePath(QStringLiteral("studio-policy-editor.png")));
            }
        const uint64_t bytes = uint64_t(std::floor(9.0 * double(parameters_) / 8.0));
        std::string log;
        const int rc =
            run("policy " + q(path("m.json")) + " --method optimal --errors " +
                    q(path("studio-e.json")) + " --budget-bytes " + std::to_string(bytes) +
                    " --model " + q(model_) + " --out " + q(path("w.json")),
                &log);
        QVERIFY2(rc == 0, log.c_str());
        const auto cli = policy::Policy::readFile(path("w.json").toStdString());
        const auto choices = w.policy()->choices();
        const auto ckpt = io::SafetensorsCheckpoint::openDirectory(model_);
        int differ = 0;
        for (const auto& name : ckpt.names())
            differ += choices.value(QString::fromStdString(name)) != cli.precisionFor(name);
        QCOMPARE(differ, 0);
    }

    // A budget below the smallest file: the studio names the user's number and the smallest
    // reachable size, the CLI's number of bytes.
    void unreachableBudget() {
        TQ_REQUIRE_FIXTURE(kStories);
        TQ_REQUIRE_FIXTURE(kGsm8k);
        const uint64_t bytes = uint64_t(std::floor(5.0 * double(parameters_) / 8.0));
        std::string log;
        const int rc = run("policy " + q(path("m.json")) + " --method optimal --errors " +
                               q(path("e.json")) + " --budget-bytes " + std::to_string(bytes) +
                               " --model " + q(model_) + " --out " + q(path("u.json")),
                           &log);
        QCOMPARE(rc, 1);
        // "... smallest possible size these choices allow: N bytes"
        const auto at = log.rfind("allow: ");
        QVERIFY2(at != std::string::npos, log.c_str());
        const uint64_t smallest = std::stoull(log.substr(at + 7));
        QVERIFY(smallest > bytes);

        OptimiseRequest r;
        r.map = map_;
        r.errors = errors_;
        r.modelDir = QString::fromStdString(model_);
        r.budget = 5.0;
        r.unit = BudgetUnit::BitsPerWeight;
        QString message;
        try {
            optimiseChoices(r, {});
        } catch (const Error& e) {
            message = QString::fromStdString(e.what());
        }
        QVERIFY2(message.contains(QStringLiteral("budget of 5 bits per weight")),
                 qPrintable(message));
        QVERIFY2(message.contains(QString::number(bytes)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("(%1 bytes)").arg(smallest)), qPrintable(message));
        const double leastBits =
            std::ceil(8.0 * double(smallest) / double(parameters_) * 1e4) / 1e4;
        QVERIFY2(message.contains(QStringLiteral("%1 bits per weight").arg(leastBits, 0, 'g', 6)),
                 qPrintable(message));

        // The window shows it in its message bar, the policy untouched.
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openMaps({path("m.json")});
        QTRY_VERIFY_WITH_TIMEOUT(w.heatmapView()->map() != nullptr, 20000);
        QSignalSpy failed(w.jobs(), &JobRunner::jobFailed);
        const int id = w.optimise(0.1, true);
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 30000);
        QVERIFY2(w.messageBar()->text().contains(QStringLiteral("budget of 0.1 MiB (104857 GGUF")),
                 qPrintable(w.messageBar()->text()));
        QVERIFY(w.policy()->choices().isEmpty());
        if (qEnvironmentVariableIsSet("TASKQUANT_SHOT_DIR"))
            w.grab().save(QDir(qEnvironmentVariable("TASKQUANT_SHOT_DIR"))
                              .filePath(QStringLiteral("studio-unreachable.png")));
    }
};

QTEST_MAIN(TstStudioAllocation)
#include "tst_studio_allocation.moc"
