#include <QtTest/QtTest>

#include "core/io/atomic_file.h"
#include "core/policy/heatmap_grid.h"
#include "core/sensitivity/sensitivity_map.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::sensitivity;

namespace {

Provenance shardProvenance(int index, int count) {
    Provenance p;
    p.modelFingerprint = "sha256:abc";
    p.architecture = "llama";
    p.method = "fisher";
    p.dataset = "gsm8k";
    p.settings = {{"max_length", 2048}, {"clip_percentile", 99}, {"seed", 7}};
    p.clipThreshold = 3.5;
    p.device = "cpu";
    p.dtype = "fp32";
    p.toolVersion = "0.1.0";
    p.shardIndex = index;
    p.shardCount = count;
    return p;
}

// A shard with the given per-tensor sums over `count` processed samples (mean reduction).
SensitivityMap shard(int index, int count, std::vector<double> sums, int64_t processed,
                     int64_t skipped, double clipRate) {
    const std::vector<std::string> names = {"model.layers.0.self_attn.q_proj.weight",
                                            "model.layers.0.mlp.down_proj.weight",
                                            "model.norm.weight"};
    std::vector<MapEntry> entries;
    for (std::size_t i = 0; i < names.size(); ++i) {
        MapEntry e;
        e.name = names[i];
        e.score = processed ? sums[i] / double(processed) : 0.0;
        e.shape = i == 2 ? std::vector<int64_t>{64} : std::vector<int64_t>{64, 64};
        entries.push_back(e);
    }
    Provenance p = shardProvenance(index, count);
    p.samples = processed + skipped;
    p.skippedSamples = skipped;
    p.tokens = processed * 100;
    p.clipRate = clipRate;
    p.wallSeconds = 1.5;
    MergeState ms{Reduction::Mean, processed, std::move(sums)};
    return SensitivityMap(std::move(entries), p, ms, "shard" + std::to_string(index) + ".json");
}

std::string writeTemp(QTemporaryDir& dir, const char* name, const std::string& text) {
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    io::writeFileAtomically(path, text);
    return path;
}

const char* kValidHead = R"({"format": "taskquant-map", "version": 1, )";

} // namespace

class TstSensitivityMap : public QObject {
    Q_OBJECT
  private slots:
    void roundTrip() {
        Provenance p = shardProvenance(1, 4);
        p.samples = 10;
        p.tokens = 1234;
        p.skippedSamples = 2;
        p.clipRate = 0.0125;
        p.wallSeconds = 12.25;
        std::vector<MapEntry> entries = {
            {"model.layers.0.self_attn.q_proj.weight", 0.1 + 0.2, 0, std::vector<int64_t>{8, 4}},
            {"lm_head.weight", 1e-300, 77, std::nullopt},
            {"weird,name\"x", 5.0, 0, std::nullopt},
        };
        MergeState ms{Reduction::Sum, 8, {0.1 + 0.2, 1e-300, 5.0}};
        const SensitivityMap m(entries, p, ms);
        QCOMPARE(m.entries()[0].numel, int64_t(32)); // filled from the shape

        QTemporaryDir dir;
        const std::string path = dir.filePath("m.json").toStdString();
        m.writeFile(path);
        const SensitivityMap r = SensitivityMap::readFile(path);
        QCOMPARE(r.source(), path);
        QVERIFY(!r.importedFromFlat());
        QCOMPARE(r.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(r.entries()[i].name, m.entries()[i].name);
            QCOMPARE(r.entries()[i].score, m.entries()[i].score); // bit-exact doubles
            QCOMPARE(r.entries()[i].numel, m.entries()[i].numel);
            QCOMPARE(r.entries()[i].shape, m.entries()[i].shape);
            QCOMPARE(r.mergeState()->sums[i], ms.sums[i]);
        }
        QCOMPARE(r.mergeState()->count, int64_t(8));
        QCOMPARE(r.mergeState()->reduction, Reduction::Sum);
        const Provenance& q = r.provenance();
        QCOMPARE(q.modelFingerprint, p.modelFingerprint);
        QCOMPARE(q.architecture, p.architecture);
        QCOMPARE(q.method, p.method);
        QCOMPARE(q.dataset, p.dataset);
        QCOMPARE(q.samples, p.samples);
        QCOMPARE(q.tokens, p.tokens);
        QVERIFY(q.settings == p.settings);
        QCOMPARE(q.clipThreshold, p.clipThreshold);
        QCOMPARE(q.clipRate, p.clipRate);
        QCOMPARE(q.skippedSamples, p.skippedSamples);
        QCOMPARE(q.device, p.device);
        QCOMPARE(q.dtype, p.dtype);
        QCOMPARE(q.wallSeconds, p.wallSeconds);
        QCOMPARE(q.toolVersion, p.toolVersion);
        QCOMPARE(q.shardIndex, 1);
        QCOMPARE(q.shardCount, 4);
        QVERIFY(r.find("lm_head.weight"));
        QVERIFY(!r.find("nope"));
        QCOMPARE(r.ranks(), (std::vector<int>{2, 3, 1}));

        // A map without merge state or clipping round-trips too.
        const SensitivityMap plain({{"a.weight", 2.0, 0, std::nullopt}}, Provenance{});
        plain.writeFile(path);
        const SensitivityMap r2 = SensitivityMap::readFile(path);
        QVERIFY(!r2.mergeState());
        QVERIFY(!r2.provenance().clipThreshold);
        QCOMPARE(r2.provenance().shardCount, 0);
    }

    void flatPhi2Import() {
        TQ_REQUIRE_FIXTURE("maps/taskquant-phi2/fisher_gsm8k_mean.json");
        const std::string path = tqtest::fixture("maps/taskquant-phi2/fisher_gsm8k_mean.json");
        const SensitivityMap m = SensitivityMap::readFile(path);
        QVERIFY(m.importedFromFlat());
        QCOMPARE(m.size(), std::size_t(227));
        // File order is kept.
        QCOMPARE(m.entries()[0].name, std::string("model.embed_tokens.weight"));
        QCOMPARE(m.entries()[1].name, std::string("model.layers.0.self_attn.q_proj.weight"));
        // Scores equal the JSON numbers, read independently with Qt.
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(o.size(), 227);
        for (auto it = o.begin(); it != o.end(); ++it) {
            const MapEntry* e = m.find(it.key().toStdString());
            QVERIFY(e);
            QCOMPARE(e->score, it.value().toDouble());
            QCOMPARE(e->numel, int64_t(0));
        }
        const policy::HeatmapGrid g = policy::buildHeatmapGrid(m.names());
        QCOMPARE(g.layerCount(), 32);
        for (const auto& c : g.classes)
            QVERIFY(c.kind != models::Kind::Other);
    }

    void mergeIsExact() {
        // Three shards of one Fisher run; by hand: tensor 0 sums 1+2+4 = 7 over 2+3+1 = 6
        // processed samples -> 7/6; tensor 1: (0.5+0.25+0.25)/6 = 1/6; tensor 2: 12/6 = 2.
        const SensitivityMap a = shard(0, 3, {1.0, 0.5, 3.0}, 2, 1, 0.10);
        const SensitivityMap b = shard(1, 3, {2.0, 0.25, 6.0}, 3, 0, 0.20);
        const SensitivityMap c = shard(2, 3, {4.0, 0.25, 3.0}, 1, 0, 0.40);
        const SensitivityMap m = mergeMaps({c, a, b}); // any order
        QCOMPARE(m.size(), std::size_t(3));
        QCOMPARE(m.entries()[0].name, std::string("model.layers.0.self_attn.q_proj.weight"));
        QCOMPARE(m.entries()[0].score, 7.0 / 6.0);
        QCOMPARE(m.entries()[1].score, 1.0 / 6.0);
        QCOMPARE(m.entries()[2].score, 2.0);
        QCOMPARE(m.mergeState()->count, int64_t(6));
        QCOMPARE(m.mergeState()->sums[0], 7.0);
        QCOMPARE(m.provenance().samples, int64_t(7));
        QCOMPARE(m.provenance().skippedSamples, int64_t(1));
        QCOMPARE(m.provenance().tokens, int64_t(600));
        QCOMPARE(m.provenance().shardCount, 0);
        QCOMPARE(m.provenance().wallSeconds, 4.5);
        // (0.1*2 + 0.2*3 + 0.4*1) / 6
        QVERIFY(std::fabs(m.provenance().clipRate - 1.2 / 6.0) < 1e-15);
        QCOMPARE(m.entries()[2].shape,
                 (std::optional<std::vector<int64_t>>(std::vector<int64_t>{64})));
        // The merged map is a valid map that survives a round trip.
        QTemporaryDir dir;
        m.writeFile(dir.filePath("m.json").toStdString());
        QCOMPARE(SensitivityMap::readFile(dir.filePath("m.json").toStdString()).entries()[0].score,
                 7.0 / 6.0);
    }

    void mergeSumReduction() {
        auto mk = [](int i, std::vector<double> s, int64_t n) {
            std::vector<MapEntry> e = {{"x.weight", s[0], 0, std::nullopt},
                                       {"y.weight", s[1], 0, std::nullopt}};
            return SensitivityMap(e, shardProvenance(i, 2), MergeState{Reduction::Sum, n, s});
        };
        const SensitivityMap m = mergeMaps({mk(0, {1.5, 2.0}, 3), mk(1, {0.5, 8.0}, 4)});
        QCOMPARE(m.entries()[0].score, 2.0);
        QCOMPARE(m.entries()[1].score, 10.0);
        QCOMPARE(m.mergeState()->count, int64_t(7));
    }

    void mergeRejectsMismatches() {
        const SensitivityMap a = shard(0, 2, {1, 1, 1}, 1, 0, 0);
        const SensitivityMap b = shard(1, 2, {1, 1, 1}, 1, 0, 0);
        QCOMPARE(mergeMaps({a, b}).entries()[0].score, 1.0);
        auto expectError = [](const std::vector<SensitivityMap>& maps, const char* needle) {
            try {
                mergeMaps(maps);
                QFAIL("expected an error");
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
            }
        };
        auto changed = [&](auto edit) {
            Provenance p = b.provenance();
            edit(p);
            return b.withProvenance(p);
        };
        expectError({a, changed([](Provenance& p) { p.modelFingerprint = "other"; })},
                    "model fingerprint");
        expectError({a, changed([](Provenance& p) { p.method = "magnitude_l2"; })}, "method");
        expectError({a, changed([](Provenance& p) { p.settings["seed"] = 8; })}, "settings");
        expectError({a, changed([](Provenance& p) { p.clipThreshold = 3.6; })}, "clip threshold");
        expectError({a, changed([](Provenance& p) { p.clipThreshold.reset(); })}, "clip threshold");
        expectError({a, a}, "given twice");
        expectError({a}, "shard 1/2 is missing");
        expectError({a, changed([](Provenance& p) { p.shardCount = 3; })}, "shard count");
        expectError({}, "no maps");
        const SensitivityMap noMerge(a.entries(), a.provenance());
        expectError({noMerge, b}, "no merge state");
        std::vector<MapEntry> renamed = b.entries();
        renamed[2].name = "model.final_layernorm.weight";
        expectError({a, SensitivityMap(renamed, b.provenance(), b.mergeState(), "b.json")},
                    "set of tensors");
        // The error names the offending map.
        expectError({a, changed([](Provenance& p) { p.method = "x"; })}, "shard1.json");
    }

    void csvExport() {
        const SensitivityMap m({{"model.layers.2.mlp.up_proj.weight", 0.5, 12, std::nullopt},
                                {"lm_head.weight", 2.0, 0, std::nullopt},
                                {"odd,\"name\"", 0.25, 0, std::nullopt}},
                               Provenance{});
        QCOMPARE(m.toCsv(), std::string("name,layer,kind,numel,score,rank\n"
                                        "model.layers.2.mlp.up_proj.weight,2,up_proj,12,0.5,2\n"
                                        "lm_head.weight,,lm_head,0,2,1\n"
                                        "\"odd,\"\"name\"\"\",,other,0,0.25,3\n"));
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.csv").toStdString();
        m.writeCsv(path);
        QCOMPARE(io::readFile(path), m.toCsv());
    }

    void constructorValidates() {
        auto bad = [](std::vector<MapEntry> e, Provenance p, std::optional<MergeState> ms,
                      const char* needle) {
            try {
                SensitivityMap(std::move(e), std::move(p), std::move(ms), "mem.json");
                QFAIL("expected an error");
            } catch (const Error& err) {
                QVERIFY2(std::string(err.what()).find(needle) != std::string::npos, err.what());
                QVERIFY(std::string(err.what()).find("mem.json") != std::string::npos);
            }
        };
        bad({{"a", 1, 0, {}}, {"a", 2, 0, {}}}, {}, {}, "duplicate");
        bad({{"a", std::nan(""), 0, {}}}, {}, {}, "not finite");
        bad({{"a", -1, 0, {}}}, {}, {}, "negative");
        bad({{"a", 1, 5, std::vector<int64_t>{2, 2}}}, {}, {}, "does not match its shape");
        bad({{"a", 1, 0, {}}}, {}, MergeState{Reduction::Mean, 2, {1.0, 2.0}}, "sums");
        bad({{"a", 1, 0, {}}}, {}, MergeState{Reduction::Mean, 2, {4.0}}, "does not match its sum");
        Provenance p;
        p.clipRate = 1.5;
        bad({{"a", 1, 0, {}}}, p, {}, "clip rate");
        p = {};
        p.shardIndex = 3;
        p.shardCount = 3;
        bad({{"a", 1, 0, {}}}, p, {}, "shard index");
    }

    void malformedFiles_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("needle");
        auto row = [](const char* tag, const std::string& text, const char* needle) {
            QTest::newRow(tag) << QString::fromStdString(text) << QString::fromLatin1(needle);
        };
        const std::string h = kValidHead;
        row("not json", "{\"a\": 1,", "invalid JSON");
        row("python NaN literal", "{\"a\": NaN}", "invalid JSON");
        row("array", "[1, 2]", "must be a JSON object");
        row("empty flat", "{}", "no entries");
        row("flat string score", "{\"a.weight\": \"NaN\"}", "must be a number");
        row("flat null score", "{\"a.weight\": null}", "must be a number");
        row("flat negative", "{\"a.weight\": -2}", "negative");
        row("flat duplicate", "{\"a.weight\": 1, \"a.weight\": 2}", "duplicate key \"a.weight\"");
        row("flat nested", "{\"a.weight\": {\"x\": 1}}", "must be a number");
        row("wrong format", "{\"format\": \"gguf\", \"version\": 1}", "not a TaskQuant map");
        row("format not string", "{\"format\": 3}", "not a TaskQuant map");
        row("unknown version", "{\"format\": \"taskquant-map\", \"version\": 2, \"entries\": []}",
            "unsupported map version 2");
        row("version string", "{\"format\": \"taskquant-map\", \"version\": \"1\"}", "\"version\"");
        row("no entries", h + "\"provenance\": {}}", "\"entries\" must be an array");
        row("entry not object", h + "\"entries\": [3]}", "entry 0 must be an object");
        row("entry no name", h + "\"entries\": [{\"score\": 1}]}", "\"name\" must be a string");
        row("entry no score", h + "\"entries\": [{\"name\": \"a\"}]}", "has no score");
        row("score string", h + "\"entries\": [{\"name\": \"a\", \"score\": \"1\"}]}",
            "must be a number");
        row("score NaN string", h + "\"entries\": [{\"name\": \"a\", \"score\": \"NaN\"}]}",
            "must be a number");
        row("negative numel", h + "\"entries\": [{\"name\": \"a\", \"score\": 1, \"numel\": -4}]}",
            "must not be negative");
        row("float numel", h + "\"entries\": [{\"name\": \"a\", \"score\": 1, \"numel\": 2.5}]}",
            "must be an integer");
        row("huge numel",
            h + "\"entries\": [{\"name\": \"a\", \"score\": 1, \"numel\": 18446744073709551615}]}",
            "too large");
        row("shape negative",
            h + "\"entries\": [{\"name\": \"a\", \"score\": 1, \"shape\": [2, -1]}]}",
            "must not be negative");
        row("shape not array", h + "\"entries\": [{\"name\": \"a\", \"score\": 1, \"shape\": 5}]}",
            "must be an array");
        row("shape overflow",
            h + "\"entries\": [{\"name\": \"a\", \"score\": 1, \"shape\": [4294967296, "
                "4294967296]}]}",
            "too large");
        row("shape mismatch",
            h + "\"entries\": [{\"name\": \"a\", \"score\": 1, \"numel\": 3, \"shape\": [2]}]}",
            "does not match its shape");
        row("duplicate entries",
            h + "\"entries\": [{\"name\": \"a\", \"score\": 1}, {\"name\": \"a\", \"score\": 2}]}",
            "duplicate tensor name \"a\"");
        row("negative samples", h + "\"provenance\": {\"samples\": -1}, \"entries\": []}",
            "must not be negative");
        row("samples string", h + "\"provenance\": {\"samples\": \"64\"}, \"entries\": []}",
            "must be an integer");
        row("settings array", h + "\"provenance\": {\"settings\": [1]}, \"entries\": []}",
            "must be an object");
        row("provenance string", h + "\"provenance\": \"x\", \"entries\": []}",
            "must be an object");
        row("clip rate > 1", h + "\"provenance\": {\"clip_rate\": 2}, \"entries\": []}",
            "clip rate");
        row("bad shard",
            h + "\"provenance\": {\"shard\": {\"index\": 2, \"count\": 2}}, \"entries\": []}",
            "shard index 2");
        row("bad reduction",
            h + "\"merge\": {\"reduction\": \"max\", \"count\": 1}, \"entries\": []}",
            "\"mean\" or \"sum\"");
        row("merge no count", h + "\"merge\": {\"reduction\": \"mean\"}, \"entries\": []}",
            "\"count\" is missing");
        row("negative count",
            h + "\"merge\": {\"reduction\": \"mean\", \"count\": -3}, \"entries\": []}",
            "must not be negative");
        row("missing sum",
            h + "\"merge\": {\"reduction\": \"mean\", \"count\": 1}, \"entries\": [{\"name\": "
                "\"a\", \"score\": 1}]}",
            "has no \"sum\"");
        row("inconsistent sum",
            h + "\"merge\": {\"reduction\": \"mean\", \"count\": 2}, \"entries\": [{\"name\": "
                "\"a\", \"score\": 1, \"sum\": 5}]}",
            "does not match its sum");
    }
    void malformedFiles() {
        QFETCH(QString, text);
        QFETCH(QString, needle);
        QTemporaryDir dir;
        const std::string path = writeTemp(dir, "bad.json", text.toStdString());
        try {
            SensitivityMap::readFile(path);
            QFAIL("expected an error");
        } catch (const Error& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.rfind(path, 0) == 0, msg.c_str()); // names the file first
            QVERIFY2(msg.find(needle.toStdString()) != std::string::npos, msg.c_str());
        }
    }

    void missingAndOversizedFiles() {
        QVERIFY_THROWS_EXCEPTION(Error, SensitivityMap::readFile("/nonexistent/dir/map.json"));
        QTemporaryDir dir;
        const std::string path = writeTemp(dir, "big.json", "{\"a.weight\": 1.0}");
        QVERIFY_THROWS_EXCEPTION(Error, SensitivityMap::readFile(path, 4));
    }
};

QTEST_APPLESS_MAIN(TstSensitivityMap)
#include "tst_sensitivity_map.moc"
