// The built `taskquant` binary on stories260K: the frontier's predicted-first output, --measure,
// and frontier shards (--shard, Slurm array and torchrun variables) merged by `merge` into
// exactly the unsharded frontier (same points, same numbers; only wall-clock seconds differ).
#include <QtTest/QtTest>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/common/fixtures.h"

namespace {

using oj = nlohmann::ordered_json;

std::string q(const QString& s) {
    return "'" + s.toStdString() + "'";
}

int run(const std::string& args, std::string* out) {
    return tqtest::runCommand(tqtest::cliPath() + " " + args, out);
}

oj readJson(const QString& path) {
    std::ifstream in(path.toStdString());
    return oj::parse(in, nullptr, false);
}

// The frontier without what a clock measures (timing, each point's seconds).
oj withoutClock(oj j) {
    j.erase("timing");
    for (auto& p : j["points"])
        p.erase("seconds");
    return j;
}

} // namespace

class TstCliFrontierShards : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const char* name) { return dir_.filePath(QLatin1String(name)); }
    std::string task_, model_;

  private slots:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromStdString(tqtest::cliPath())))
            QSKIP("the taskquant binary is not built");
    }

    void init() {
        TQ_REQUIRE_FIXTURE("models/stories260K");
        TQ_REQUIRE_FIXTURE("data/gsm8k/train.jsonl");
        model_ = "'" + tqtest::fixture("models/stories260K") + "'";
        const std::string data = tqtest::fixture("data/gsm8k/train.jsonl");
        task_ = " --dataset 'gsm8k:" + data + "' --ctx 64 --chunks 3";
        if (!QFileInfo::exists(path("m.json"))) {
            std::string log;
            QVERIFY2(run("fisher " + model_ + " --dataset gsm8k --data '" + data +
                             "' --samples 6 --max-length 64 --bootstrap 0 --out " +
                             q(path("m.json")),
                         &log) == 0,
                     log.c_str());
        }
    }

    void shardsMergeToTheUnshardedFrontier() {
        const std::string common = "frontier " + model_ + " --map " + q(path("m.json")) + task_ +
                                   " --precisions f16,q8_0,q4_0,q4_k --measure all";
        const std::string args = common + " --bits 8,9";
        std::string log;
        QVERIFY2(run(args + " --out " + q(path("full.json")), &log) == 0, log.c_str());
        // Three shards, each told its index another way, as fisher's shards are.
        const std::string out = " --out " + q(path("s{shard}.json"));
        QVERIFY2(run(args + " --shard 0/3" + out, &log) == 0, log.c_str());
        QVERIFY2(tqtest::runCommand("SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 " +
                                        tqtest::cliPath() + " " + args + out,
                                    &log) == 0,
                 log.c_str());
        QVERIFY2(log.find("shard 1/3 (slurm array)") != std::string::npos, log.c_str());
        QVERIFY2(tqtest::runCommand("RANK=2 WORLD_SIZE=3 " + tqtest::cliPath() + " " + args + out,
                                    &log) == 0,
                 log.c_str());
        const oj full = readJson(path("full.json"));
        QVERIFY(full.is_object() && !full.contains("shard"));
        // Each shard measured a third of the distinct plans, nothing twice.
        std::size_t measuredInShards = 0;
        for (const char* s : {"s0.json", "s1.json", "s2.json"}) {
            const oj j = readJson(path(s));
            QVERIFY2(j.contains("shard"), s);
            const std::size_t mine = j["shard"]["mine"].size();
            const std::size_t planned = j["shard"]["planned"].size();
            QVERIFY(mine >= planned / 3 && mine <= planned / 3 + 1);
            measuredInShards += mine;
        }
        QCOMPARE(measuredInShards, std::size_t(full["timing"]["evaluations"].get<int>()));
        QVERIFY2(run("merge " + q(path("s2.json")) + " " + q(path("s0.json")) + " " +
                         q(path("s1.json")) + " --out " + q(path("merged.json")),
                     &log) == 0,
                 log.c_str());
        const oj merged = readJson(path("merged.json"));
        QVERIFY(merged.is_object());
        int measured = 0;
        for (const auto& p : full["points"])
            measured += p["measured"].get<bool>();
        QCOMPARE(measured, int(full["points"].size())); // --measure all
        // Exactly the unsharded frontier: same keys in the same order, same numbers.
        QVERIFY2(withoutClock(merged) == withoutClock(full),
                 (withoutClock(merged).dump(1) + "\nvs\n" + withoutClock(full).dump(1)).c_str());

        // Incomplete, repeated, or from another run: one clear error, nothing written.
        QCOMPARE(run("merge " + q(path("s0.json")) + " " + q(path("s1.json")) + " --out " +
                         q(path("x.json")),
                     &log),
                 1);
        QVERIFY2(log.find("shard(s) 2 of 3 missing") != std::string::npos, log.c_str());
        QCOMPARE(run("merge " + q(path("s0.json")) + " " + q(path("s0.json")) + " " +
                         q(path("s2.json")) + " --out " + q(path("x.json")),
                     &log),
                 1);
        QVERIFY2(log.find("given twice") != std::string::npos, log.c_str());
        QVERIFY2(run(common + " --bits 8,10 --shard 1/3 --out " + q(path("other1.json")), &log) ==
                     0,
                 log.c_str());
        QCOMPARE(run("merge " + q(path("s0.json")) + " " + q(path("other1.json")) + " " +
                         q(path("s2.json")) + " --out " + q(path("x.json")),
                     &log),
                 1);
        QVERIFY2(log.find("not from the same frontier run") != std::string::npos, log.c_str());
        QCOMPARE(run("merge " + q(path("s0.json")) + " " + q(path("m.json")) + " --out " +
                         q(path("x.json")),
                     &log),
                 1);
        QVERIFY2(log.find("not a frontier shard") != std::string::npos, log.c_str());
        QCOMPARE(run("merge " + q(path("full.json")) + " --out " + q(path("x.json")), &log), 1);
        QVERIFY2(log.find("not a frontier shard") != std::string::npos, log.c_str());
        QVERIFY(!QFileInfo::exists(path("x.json")));
    }

    void predictedFirstAndMeasureSelection() {
        const std::string args = "frontier " + model_ + " --map " + q(path("m.json")) + task_ +
                                 " --bits 8,9 --precisions f16,q8_0,q4_0,q4_k";
        std::string log;
        QVERIFY2(run(args + " --measure none --out " + q(path("none.json")), &log) == 0,
                 log.c_str());
        QVERIFY2(log.find("wrote the predicted frontier") != std::string::npos, log.c_str());
        QVERIFY2(run(args + " --out " + q(path("default.json")), &log) == 0, log.c_str());
        const oj none = readJson(path("none.json"));
        const oj def = readJson(path("default.json"));
        QCOMPARE(none["timing"]["evaluations"].get<int>(), 0);
        QCOMPARE(none["points"].size(), def["points"].size());
        // The default: the first map's optimal points and, for each, the mix nearest in size.
        std::set<std::string> expect;
        for (const auto& p : def["points"]) {
            if (p["kind"] != "optimal" || p["signal"] != "fisher")
                continue;
            expect.insert(p["label"].get<std::string>());
            std::string nearest;
            double best = 1e300;
            for (const auto& r : def["points"])
                if (r["kind"] == "recipe") {
                    const double d = std::fabs(r["bits_per_weight"].get<double>() -
                                               p["bits_per_weight"].get<double>());
                    if (d < best)
                        best = d, nearest = r["label"].get<std::string>();
                }
            expect.insert(nearest);
        }
        QVERIFY(expect.size() >= 3);
        for (std::size_t i = 0; i < def["points"].size(); ++i) {
            const oj& a = none["points"][i];
            const oj& b = def["points"][i];
            // The prediction does not depend on what is measured.
            QCOMPARE(a["label"], b["label"]);
            QCOMPARE(a["bytes"], b["bytes"]);
            QCOMPARE(a["predicted_damage"], b["predicted_damage"]);
            // Predicted wherever every tensor's type has measured errors: the allocations (the
            // mixes and the uniform family's head use types beyond these choices: null there).
            if (a["kind"] == "optimal")
                QVERIFY(a["predicted_damage"].is_number() && a["predicted_damage"] >= 0);
            QVERIFY(!a["measured"].get<bool>() && !a.contains("kld_mean"));
            const std::string label = b["label"].get<std::string>();
            const std::string same = b.value("same_plan_as", std::string());
            const bool chosen = expect.count(label) || (!same.empty() && expect.count(same));
            if (expect.count(label))
                QVERIFY2(b["measured"].get<bool>() && b["kld_mean"] >= 0, label.c_str());
            else if (!chosen && !b["measured"].get<bool>())
                QVERIFY(!b.contains("kld_mean"));
        }
        // A mistyped label stops before any work: no predicted frontier was written, and the
        // message lists the planned labels (a baseline and an optimal point among them).
        QCOMPARE(run(args + " --measure 'no such point' --out " + q(path("typo.json")), &log), 1);
        QVERIFY2(log.find("no point is labelled \"no such point\"") != std::string::npos,
                 log.c_str());
        QVERIFY(!QFileInfo::exists(path("typo.json")));
        for (const auto& label : expect)
            QVERIFY2(log.find(label) != std::string::npos, label.c_str());
    }
};

QTEST_GUILESS_MAIN(TstCliFrontierShards)
#include "tst_cli_frontier_shards.moc"
