// The demo tasks on the command line: `--dataset arithmetic|stories` takes no file in fisher,
// imatrix, eval, validate and frontier (the held-out split under --seed; the same seed gives the
// same map), a --data file for such a kind is one clear error; `demo --write-data` writes JSONL and
// plain text that `fisher --dataset jsonl|text` reads to the same map as the file-less kind;
// `demo --no-gui --model M` runs the whole main job on a small generated model.
#include <QtTest/QtTest>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "tests/common/fixtures.h"

using tqtest::cliPath;
using tqtest::runCommand;
namespace fs = std::filesystem;

namespace {
std::string q(const std::string& s) {
    return "'" + s + "'";
}
nlohmann::json readJson(const std::string& p) {
    return nlohmann::json::parse(taskquant::io::readFile(p));
}
std::vector<double> scores(const std::string& mapFile) {
    std::vector<double> v;
    const auto j = readJson(mapFile);
    for (const auto& e : j.at("entries"))
        v.push_back(e.at("score").get<double>());
    return v;
}
} // namespace

class TstCliDemo : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string model_;

    std::string path(const char* name) { return tmp_.filePath(name).toStdString(); }
    void run(const std::string& args, std::string* out = nullptr) {
        std::string o;
        const int rc = runCommand(q(cliPath()) + " " + args, &o);
        QVERIFY2(rc == 0, (args + "\n" + o).c_str());
        if (out)
            *out = o;
    }

  private slots:
    void initTestCase() {
        model_ = path("model");
        run("synth-model " + q(model_) +
            " --hidden 256 --intermediate 256 --layers 1 --merges 100");
    }

    void fileLessKindsEverywhere() {
        const std::string m = q(model_);
        run("fisher " + m + " --dataset arithmetic --samples 4 --seed 3 --out " +
            q(path("a.json")));
        run("fisher " + m + " --dataset arithmetic --samples 4 --seed 3 --out " +
            q(path("a2.json")));
        run("fisher " + m + " --dataset arithmetic --samples 4 --seed 4 --out " +
            q(path("a3.json")));
        QVERIFY(!scores(path("a.json")).empty());
        QCOMPARE(scores(path("a.json")), scores(path("a2.json")));
        QVERIFY(scores(path("a.json")) != scores(path("a3.json")));
        QCOMPARE(readJson(path("a.json")).at("provenance").at("dataset").get<std::string>(),
                 std::string("arithmetic"));
        run("imatrix " + m + " --dataset stories --samples 4 --ctx 64 --out " + q(path("i.gguf")));
        QVERIFY(fs::file_size(path("i.gguf")) > 0);
        run("policy --recipe Q8_0 --model " + m + " --out " + q(path("p.json")));
        std::string out;
        run("eval " + m + " --policy " + q(path("p.json")) +
                " --dataset stories --seed 1 --ctx 64 --chunks 2 --report " + q(path("e.json")),
            &out);
        QCOMPARE(readJson(path("e.json")).at("rows").size(), std::size_t(2));
        run("validate " + m + " --map " + q(path("a.json")) +
            " --dataset arithmetic --ctx 64 --chunks 2 --tensors top:2 --out " + q(path("v.json")));
        run("frontier " + m + " --map " + q(path("a.json")) +
            " --dataset arithmetic --bits 5 --ctx 64 --chunks 2 --uniform q8_0 --out " +
            q(path("f.json")));
        QVERIFY(readJson(path("f.json")).at("points").size() >= 2);
    }

    void aFileForAFileLessKindIsOneClearError() {
        std::string out;
        const int rc =
            runCommand(q(cliPath()) + " fisher " + q(model_) +
                           " --dataset arithmetic --data x.jsonl --out " + q(path("x.json")),
                       &out);
        QVERIFY(rc != 0);
        QVERIFY2(out.find("reads no file") != std::string::npos, out.c_str());
        QVERIFY2(out.find("terminate") == std::string::npos, out.c_str());
    }

    void writtenDataGivesTheSameMap() {
        const std::string dir = path("data");
        std::string out;
        run("demo --write-data " + q(dir) + " --count 4 --seed 3", &out);
        for (const char* f :
             {"arithmetic.test.jsonl", "arithmetic.test.txt", "algebra.test.jsonl",
              "algebra.test.txt", "stories.test.jsonl", "stories.test.txt", "lookup.test.jsonl",
              "lookup.test.txt", "facts.test.jsonl", "facts.test.txt"})
            QVERIFY2(fs::is_regular_file(dir + "/" + f), f);
        // The same 4 problems (sampling order aside): fisher sums over samples, so the maps agree.
        const std::string m = q(model_);
        run("fisher " + m + " --dataset arithmetic --samples 4 --seed 3 --out " +
            q(path("g0.json")));
        run("fisher " + m + " --dataset jsonl --field text --data " +
            q(dir + "/arithmetic.test.jsonl") + " --samples 4 --out " + q(path("g1.json")));
        run("fisher " + m + " --dataset text --data " + q(dir + "/arithmetic.test.txt") +
            " --samples 4 --out " + q(path("g2.json")));
        const auto a = scores(path("g0.json")), b = scores(path("g1.json")),
                   c = scores(path("g2.json"));
        QCOMPARE(a.size(), b.size());
        QCOMPARE(a.size(), c.size());
        QVERIFY(!a.empty());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY(std::abs(a[i] - b[i]) <= 1e-5 * std::abs(a[i]) + 1e-12);
            QVERIFY(std::abs(a[i] - c[i]) <= 1e-5 * std::abs(a[i]) + 1e-12);
        }
    }

    void mainJobOnAGeneratedModel() {
        const std::string out = path("demo");
        std::string text;
        // No display: the command prints how to open the studio instead of starting it.
        const QByteArray display = qgetenv("DISPLAY"), wayland = qgetenv("WAYLAND_DISPLAY");
        qunsetenv("DISPLAY");
        qunsetenv("WAYLAND_DISPLAY");
        run("demo --model " + q(model_) + " --out " + q(out) +
                " --samples 4 --frontier-bits 5 --ctx 64 --chunks 2 --transfer-bits 5 "
                "--transfer-windows 2 --transfer-answers 2",
            &text);
        if (!display.isEmpty())
            qputenv("DISPLAY", display);
        if (!wayland.isEmpty())
            qputenv("WAYLAND_DISPLAY", wayland);
        for (const char* s : {"Spearman", "unquantized", "(llama.cpp)", "read back", "frontier.svg",
                              "demo-arithmetic.gguf", "task transfer", "transfer.json"})
            QVERIFY2(text.find(s) != std::string::npos, (std::string(s) + "\n" + text).c_str());
        // The studio's arguments: the model, the three maps, the frontier and both policies,
        // the task-A policy last (current), then the cross-task matrix; every file exists.
        const auto at = text.find("taskquant-studio ");
        QVERIFY2(at != std::string::npos, text.c_str());
        const std::string line = text.substr(at, text.find('\n', at) - at);
        QStringList args = QString::fromStdString(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        args.removeFirst();
        QCOMPARE(args.size(), 8);
        QCOMPARE(fs::canonical(args[0].toStdString()), fs::canonical(model_));
        QStringList names;
        for (const QString& a : args.mid(1)) {
            QVERIFY2(fs::is_regular_file(a.toStdString()), qPrintable(a));
            names << QFileInfo(a).fileName();
        }
        QCOMPARE(names, (QStringList{"arithmetic.fisher.json", "stories.fisher.json",
                                     "magnitude.json", "frontier.json", "policy-stories.json",
                                     "policy-arithmetic.json", "transfer.json"}));
        std::string info;
        run("info " + q(out + "/demo-arithmetic.gguf"), &info);
        QVERIFY2(info.find("llama") != std::string::npos, info.c_str());
        QCOMPARE(readJson(out + "/summary.json").at("rows").size(), std::size_t(5));
        // One verdict per task at the one budget, in the summary as in transfer.json.
        const auto t = readJson(out + "/transfer.json");
        QCOMPARE(t.at("format"), "taskquant-transfer");
        QCOMPARE(t.at("verdicts").size(), std::size_t(2));
        QCOMPARE(readJson(out + "/summary.json").at("transfer").at("verdicts").size(),
                 std::size_t(2));
        // --no-transfer skips the stage: no matrix, the studio is not told of one.
        const std::string out2 = path("demo-no-transfer");
        run("demo --no-gui --model " + q(model_) + " --out " + q(out2) +
            " --samples 4 --frontier-bits 5 --ctx 64 --chunks 2 --no-transfer");
        QVERIFY(!fs::exists(out2 + "/transfer.json"));
    }
};

QTEST_APPLESS_MAIN(TstCliDemo)
#include "tst_cli_demo.moc"
