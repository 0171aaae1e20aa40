// The built `taskquant` binary: `transfer` on the demo model writes a complete matrix (JSON and
// SVG) and refuses malformed tasks with one line; `frontier --imatrix-from-task | --imatrix`
// quantizes the mixes and uniform types importance-weighted.
#include <QtTest/QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/common/fixtures.h"

namespace fs = std::filesystem;

namespace {

std::string q(const std::string& s) {
    return "'" + s + "'";
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream f(path);
    return nlohmann::json::parse(f);
}

const std::string kDemo = std::string(TASKQUANT_SOURCE_DIR) + "/resources/demo-model";

} // namespace

class TestCliTransfer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const std::string& name) const {
        return dir_.path().toStdString() + "/" + name;
    }
    int run(const std::string& args, std::string* out = nullptr) {
        std::string local;
        return tqtest::runCommand(q(tqtest::cliPath()) + " " + args, out ? out : &local);
    }

  private slots:
    void completeMatrix() {
        std::string out;
        const int rc = run("transfer " + q(kDemo) +
                               " --task arith=arithmetic --task stories=stories --bits 5"
                               " --precisions q4_k,q5_k,q6_k,q8_0 --calibration-samples 6"
                               " --held-out-samples 24 --ctx 64 --windows 3 --answers 1"
                               " --max-new-tokens 8 --resamples 50 --threads 1 --out " +
                               q(path("m.json")) + " --svg " + q(path("m.svg")),
                           &out);
        QVERIFY2(rc == 0, out.c_str());
        const auto j = readJson(path("m.json"));
        QCOMPARE(j["format"].get<std::string>(), std::string("taskquant-transfer"));
        QCOMPARE(j["tasks"].size(), std::size_t(2));
        QCOMPARE(j["budgets"].size(), std::size_t(1));
        const auto& policies = j["policies"];
        // arith, stories, mixed, the nearest mix with each task's imatrix
        QCOMPARE(policies.size(), std::size_t(5));
        QVERIFY(policies.contains("mixed @5"));
        QCOMPARE(j["cells"].size(), policies.size() * 2);
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& c : j["cells"]) {
            QVERIFY(policies.contains(c["policy"].get<std::string>()));
            seen.insert({c["policy"].get<std::string>(), c["eval_task"].get<std::string>()});
            QCOMPARE(c["kld_ci95"].size(), std::size_t(2));
            QVERIFY(c["accuracy"].is_number());
            QCOMPARE(c["accuracy_ci95"].size(), std::size_t(2));
        }
        QCOMPARE(seen.size(), j["cells"].size());
        QCOMPARE(j["verdicts"].size(), std::size_t(2));
        QCOMPARE(policies["arith @5"]["provenance"]["calibration"]["dataset"].get<std::string>(),
                 std::string("arithmetic"));
        std::ifstream svg(path("m.svg"));
        std::string head(4, ' ');
        svg.read(head.data(), 4);
        QCOMPARE(head, std::string("<svg"));
        QVERIFY2(out.find("arith: ") != std::string::npos, out.c_str());
        // --from: the written matrix read back draws the same heat table
        QVERIFY2(
            run("transfer --from " + q(path("m.json")) + " --svg " + q(path("m2.svg")), &out) == 0,
            out.c_str());
        auto slurp = [](const std::string& p) {
            std::ifstream f(p);
            return std::string(std::istreambuf_iterator<char>(f), {});
        };
        QCOMPARE(slurp(path("m2.svg")), slurp(path("m.svg")));
    }
    void malformedTaskIsOneClearError() {
        std::string out;
        int rc =
            run("transfer " + q(kDemo) + " --task arithmetic --bits 5 --out " + q(path("x.json")),
                &out);
        QVERIFY(rc != 0);
        QVERIFY2(out.find("NAME=DATASET") != std::string::npos, out.c_str());
        QVERIFY(!fs::exists(path("x.json")));
        rc = run("transfer " + q(kDemo) + " --task a=gsm8k:" + q(path("missing.jsonl")) +
                     " --bits 5 --out " + q(path("x.json")),
                 &out);
        QVERIFY(rc != 0);
        QVERIFY2(out.find("missing.jsonl") != std::string::npos, out.c_str());
        QVERIFY(out.find("terminate") == std::string::npos);
        QVERIFY(!fs::exists(path("x.json")));
    }
    // The task text's imatrix reaches the mixes and the uniform types: their KLD changes, the
    // JSON names the importance source; an imatrix file works the same way.
    void frontierImatrix() {
        const std::string common = " --dataset arithmetic --ctx 64 --chunks 2 --uniform q3_k"
                                   " --no-error-only --bits 5 --measure all";
        std::string out;
        QVERIFY2(run("frontier " + q(kDemo) + common + " --out " + q(path("f0.json")), &out) == 0,
                 out.c_str());
        QVERIFY2(run("frontier " + q(kDemo) + common + " --imatrix-from-task --out " +
                         q(path("f1.json")),
                     &out) == 0,
                 out.c_str());
        const auto a = readJson(path("f0.json")), b = readJson(path("f1.json"));
        QCOMPARE(a["imatrix"].get<std::string>(), std::string());
        QVERIFY(!b["imatrix"].get<std::string>().empty());
        auto kld = [](const nlohmann::json& j, const std::string& label) {
            for (const auto& p : j["points"])
                if (p["label"] == label)
                    return p["kld_mean"].get<double>();
            return -1.0;
        };
        QVERIFY(kld(a, "q3_k") > 0 && kld(b, "q3_k") > 0);
        QVERIFY(kld(a, "q3_k") != kld(b, "q3_k"));
        QVERIFY(kld(a, "Q3_K_M") != kld(b, "Q3_K_M"));
        QVERIFY2(run("imatrix " + q(kDemo) + " --dataset arithmetic --samples 4 --ctx 64 --out " +
                         q(path("i.gguf")),
                     &out) == 0,
                 out.c_str());
        QVERIFY2(run("frontier " + q(kDemo) + common + " --imatrix " + q(path("i.gguf")) +
                         " --out " + q(path("f2.json")),
                     &out) == 0,
                 out.c_str());
        const auto c = readJson(path("f2.json"));
        QCOMPARE(c["imatrix"].get<std::string>(), path("i.gguf"));
        QVERIFY(kld(c, "q3_k") != kld(a, "q3_k"));
        // both at once: refused
        QVERIFY(run("frontier " + q(kDemo) + common + " --imatrix " + q(path("i.gguf")) +
                        " --imatrix-from-task --out " + q(path("f3.json")),
                    &out) != 0);
    }
};

QTEST_APPLESS_MAIN(TestCliTransfer)
#include "tst_cli_transfer.moc"
