// The built `taskquant` binary: policy, compare, report and merge end to end.
#include <QtTest/QtTest>
#include <cmath>

#include "tests/common/fixtures.h"

namespace {

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

std::string q(const QString& s) {
    return "'" + s.toStdString() + "'";
}

int run(const std::string& args, std::string* out) {
    return tqtest::runCommand(tqtest::cliPath() + " " + args, out);
}

// Naive Spearman with average ranks, independent of the engine.
double naiveSpearman(const std::vector<double>& a, const std::vector<double>& b) {
    auto ranks = [](const std::vector<double>& v) {
        std::vector<double> r(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            double less = 0, eq = 0;
            for (std::size_t j = 0; j < v.size(); ++j) {
                less += v[j] < v[i];
                eq += j != i && v[j] == v[i];
            }
            r[i] = 1 + less + eq / 2;
        }
        return r;
    };
    const auto x = ranks(a), y = ranks(b);
    const double m = (double(x.size()) + 1) / 2;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - m) * (y[i] - m);
        sxx += (x[i] - m) * (x[i] - m);
        syy += (y[i] - m) * (y[i] - m);
    }
    return sxy / std::sqrt(sxx * syy);
}

const char* kFisher = "maps/taskquant-phi2/fisher_gsm8k_mean.json";
const char* kMagnitude = "maps/taskquant-phi2/magnitude_gsm8k.json";

} // namespace

class TstCliPolicy : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromStdString(tqtest::cliPath())))
            QSKIP("the taskquant binary is not built");
    }

    void policyEveryMethod_data() {
        QTest::addColumn<QString>("args");
        QTest::addColumn<int>("kept");
        // Kept counts over Phi-2's 192 linear weights; pct by numpy's quantile position
        // (192 - 153 = 39), the others cross-checked with tst_thresholds' definitions.
        QTest::newRow("pct") << QStringLiteral("--method pct") << 39;
        QTest::newRow("pct inverted") << QStringLiteral("--method pct --invert") << 153;
        QTest::newRow("otsu") << QStringLiteral("--method otsu") << -1;
        QTest::newRow("elbow") << QStringLiteral("--method elbow") << -1;
        QTest::newRow("gradient") << QStringLiteral("--method gradient --ratio 0.05") << -1;
        QTest::newRow("cumulative") << QStringLiteral("--method cumulative --share 0.95") << -1;
        QTest::newRow("blocks") << QStringLiteral("--method blocks --keep 0.25")
                                << 8 * 6; // 8 of 32 blocks
    }
    void policyEveryMethod() {
        TQ_REQUIRE_FIXTURE(kFisher);
        QFETCH(QString, args);
        QFETCH(int, kept);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("p.json"));
        std::string log;
        const int rc = run("policy " + q(QString::fromStdString(tqtest::fixture(kFisher))) + " " +
                               args.toStdString() + " --out " + q(out),
                           &log);
        QVERIFY2(rc == 0, log.c_str());
        const QJsonObject p = readJson(out);
        QCOMPARE(p.value(QStringLiteral("format")).toString(), QStringLiteral("taskquant-policy"));
        QCOMPARE(p.value(QStringLiteral("default")).toString(), QStringLiteral("int4_g128"));
        QCOMPARE(p.value(QStringLiteral("lm_head")).toString(), QStringLiteral("f16"));
        const QJsonObject overrides = p.value(QStringLiteral("overrides")).toObject();
        for (auto it = overrides.begin(); it != overrides.end(); ++it)
            QCOMPARE(it.value().toString(), QStringLiteral("f16"));
        if (kept >= 0)
            QCOMPARE(overrides.size(), kept);
        QVERIFY(overrides.size() > 0 && overrides.size() < 192);
        QVERIFY2(log.find("kept in f16: " + std::to_string(overrides.size()) + " of 192") !=
                     std::string::npos,
                 log.c_str());
        if (!args.contains(QStringLiteral("invert")) && !args.contains(QStringLiteral("blocks")))
            QVERIFY(overrides.contains(QStringLiteral("model.layers.29.self_attn.k_proj.weight")));
        const QJsonObject prov = p.value(QStringLiteral("provenance")).toObject();
        QCOMPARE(prov.value(QStringLiteral("map")).toString().toStdString(),
                 tqtest::fixture(kFisher));
    }

    void optimalAndKnapsackWithShapes() {
        QTemporaryDir dir;
        const QString map = dir.filePath(QStringLiteral("m.json"));
        const QString shapes = dir.filePath(QStringLiteral("s.json"));
        const QString errors = dir.filePath(QStringLiteral("e.json"));
        const QString out = dir.filePath(QStringLiteral("p.json"));
        writeText(
            map,
            R"({"model.layers.0.self_attn.q_proj.weight": 10, "model.layers.0.self_attn.k_proj.weight": 1,
                          "model.layers.0.input_layernorm.weight": 50})");
        writeText(shapes, R"({"model.layers.0.self_attn.q_proj.weight": [256, 256],
                             "model.layers.0.self_attn.k_proj.weight": [256, 256],
                             "model.layers.0.input_layernorm.weight": [256]})");
        writeText(
            errors,
            R"({"format": "taskquant-errors", "version": 1, "precisions": ["f16", "int8_g128", "int4_g128"],
            "tensors": [{"name": "model.layers.0.self_attn.q_proj.weight", "shape": [256, 256], "error": [0, 1e-4, 1e-2]},
                        {"name": "model.layers.0.self_attn.k_proj.weight", "shape": [256, 256], "error": [0, 1e-4, 1e-2]}]})");
        std::string log;
        // 7 bits per weight = 114688 bytes: q int8 (66560) + k int4 (33792) is the best fit.
        int rc = run("policy " + q(map) + " --method optimal --errors " + q(errors) +
                         " --avg-bits 7 --out " + q(out),
                     &log);
        QVERIFY2(rc == 0, log.c_str());
        QJsonObject p = readJson(out);
        const auto precisionOf = [&](const QJsonObject& pol, const char* name) {
            const QJsonObject o = pol.value(QStringLiteral("overrides")).toObject();
            return o.contains(QLatin1String(name))
                       ? o.value(QLatin1String(name)).toString()
                       : pol.value(QStringLiteral("default")).toString();
        };
        QCOMPARE(precisionOf(p, "model.layers.0.self_attn.q_proj.weight"),
                 QStringLiteral("int8_g128"));
        QCOMPARE(precisionOf(p, "model.layers.0.self_attn.k_proj.weight"),
                 QStringLiteral("int4_g128"));
        // Shapes came from the error table only: the norm is not counted, and the estimate says so.
        const QJsonObject est = p.value(QStringLiteral("estimate")).toObject();
        QCOMPARE(est.value(QStringLiteral("bytes")).toInteger(), qint64(66560 + 33792));
        QCOMPARE(est.value(QStringLiteral("tensors_without_shape")).toInt(), 1);
        // The same with the proxy error instead of a table.
        rc = run("policy " + q(map) +
                     " --method optimal --precisions f16,int8_g128,int4_g128 --error-proxy bits"
                     " --avg-bits 7 --shapes " +
                     q(shapes) + " --out " + q(out),
                 &log);
        QVERIFY2(rc == 0, log.c_str());
        QVERIFY(log.find("proxy") != std::string::npos);
        QCOMPARE(readJson(out)
                     .value(QStringLiteral("estimate"))
                     .toObject()
                     .value(QStringLiteral("bytes"))
                     .toInteger(),
                 qint64(66560 + 33792 + 1024)); // the norm F32, as GGUF stores it
        QCOMPARE(precisionOf(readJson(out), "model.layers.0.self_attn.q_proj.weight"),
                 QStringLiteral("int8_g128"));
        // Knapsack: keeping q or k at f16 costs 97280 bytes over int4_g128 each; 0.1 MiB
        // (104857 bytes) holds one of them, the denser q.
        rc = run("policy " + q(map) + " --method knapsack --budget-mb 0.1 --shapes " + q(shapes) +
                     " --out " + q(out),
                 &log);
        QVERIFY2(rc == 0, log.c_str());
        QCOMPARE(precisionOf(readJson(out), "model.layers.0.self_attn.q_proj.weight"),
                 QStringLiteral("f16"));
        QCOMPARE(precisionOf(readJson(out), "model.layers.0.self_attn.k_proj.weight"),
                 QStringLiteral("int4_g128"));
    }

    void shapesFromModelDirectory() {
        TQ_REQUIRE_FIXTURE("models/stories260K/model.safetensors");
        QTemporaryDir dir;
        const QString map = dir.filePath(QStringLiteral("m.json"));
        const QString out = dir.filePath(QStringLiteral("p.json"));
        QByteArray text = "{";
        const char* mods[] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                              "self_attn.o_proj", "mlp.gate_proj",    "mlp.up_proj",
                              "mlp.down_proj"};
        for (int l = 0; l < 5; ++l)
            for (int m = 0; m < 7; ++m)
                text += QStringLiteral("%1\"model.layers.%2.%3.weight\": %4")
                            .arg(text.size() > 1 ? QStringLiteral(", ") : QString())
                            .arg(l)
                            .arg(QLatin1String(mods[m]))
                            .arg(l * 7 + m + 1)
                            .toUtf8();
        writeText(map, text + "}");
        std::string log;
        const int rc = run("policy " + q(map) + " --method knapsack --budget-mb 0 --model " +
                               q(QString::fromStdString(tqtest::fixture("models/stories260K"))) +
                               " --out " + q(out),
                           &log);
        QVERIFY2(rc == 0, log.c_str());
        // int4_g128 by hand, rows of 64 hold one partial group (32 + 2 bytes), rows of 172 one full
        // (64 + 2) and one partial (22 + 2): q 64*34, k 32*34, v 32*34, o 64*34, gate and up
        // 172*34, down 64*90 = 23984 per layer, 5 layers.
        const QJsonObject est = readJson(out).value(QStringLiteral("estimate")).toObject();
        QCOMPARE(est.value(QStringLiteral("tensors_without_shape")).toInt(), 0);
        QCOMPARE(est.value(QStringLiteral("tensors")).toInt(), 35);
        QCOMPARE(est.value(QStringLiteral("bytes")).toInteger(), qint64(5 * 23984));
        QCOMPARE(est.value(QStringLiteral("reference_bytes")).toInteger(), qint64(2 * 5 * 45312));
        QCOMPARE(readJson(out).value(QStringLiteral("overrides")).toObject().size(), 0);
    }

    void policyErrors() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("p.json"));
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        writeText(bad, R"({"model.layers.0.mlp.up_proj.weight": "NaN"})");
        std::string log;
        QCOMPARE(run("policy /nonexistent/map.json --method pct --out " + q(out), &log), 1);
        QVERIFY2(log.find("taskquant policy: /nonexistent/map.json") != std::string::npos,
                 log.c_str());
        QCOMPARE(run("policy " + q(bad) + " --method pct --out " + q(out), &log), 1);
        QVERIFY2(log.find(bad.toStdString()) != std::string::npos &&
                     log.find("must be a number") != std::string::npos,
                 log.c_str());
        writeText(bad, R"({"model.layers.0.mlp.up_proj.weight": 1})");
        QCOMPARE(run("policy " + q(bad) + " --method knapsack --out " + q(out), &log), 1);
        QVERIFY2(log.find("--budget-mb") != std::string::npos, log.c_str());
        QCOMPARE(run("policy " + q(bad) + " --method optimal --avg-bits 4 --out " + q(out), &log),
                 1);
        QVERIFY2(log.find("--errors") != std::string::npos, log.c_str());
        QCOMPARE(run("policy " + q(bad) + " --method kmeans --out " + q(out), &log), 1);
        QVERIFY(!QFileInfo::exists(out));                              // nothing written on failure
        QVERIFY(run("policy " + q(bad) + " --method pct", &log) != 0); // --out is required
    }

    void compareMatchesNaiveSpearman() {
        TQ_REQUIRE_FIXTURE(kFisher);
        TQ_REQUIRE_FIXTURE(kMagnitude);
        QTemporaryDir dir;
        const QString json = dir.filePath(QStringLiteral("c.json"));
        std::string log;
        const int rc = run("compare " + q(QString::fromStdString(tqtest::fixture(kFisher))) + " " +
                               q(QString::fromStdString(tqtest::fixture(kMagnitude))) +
                               " --silent --json " + q(json),
                           &log);
        QVERIFY2(rc == 0, log.c_str());
        const QJsonObject f = readJson(QString::fromStdString(tqtest::fixture(kFisher)));
        const QJsonObject m = readJson(QString::fromStdString(tqtest::fixture(kMagnitude)));
        std::vector<double> a, b;
        for (auto it = f.begin(); it != f.end(); ++it) {
            a.push_back(it.value().toDouble());
            b.push_back(m.value(it.key()).toDouble());
        }
        const double rho = naiveSpearman(a, b);
        const auto pos = log.find("Spearman: ");
        QVERIFY2(pos != std::string::npos, log.c_str());
        QVERIFY(std::fabs(std::stod(log.substr(pos + 10)) - rho) < 1e-6);
        QVERIFY(std::fabs(readJson(json).value(QStringLiteral("spearman")).toDouble() - rho) <
                1e-12);
        QVERIFY(log.find("silent tensors") != std::string::npos);
        QVERIFY(log.find("model.layers.29.input_layernorm.weight") != std::string::npos);
        QCOMPARE(readJson(json).value(QStringLiteral("tensors")).toArray().size(), 227);
    }

    void reportWritesCsvs() {
        TQ_REQUIRE_FIXTURE(kFisher);
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("csv/sub"));
        std::string log;
        const int rc = run("report " + q(QString::fromStdString(tqtest::fixture(kFisher))) +
                               " --csv " + q(csv),
                           &log);
        QVERIFY2(rc == 0, log.c_str());
        QVERIFY(log.find("layers: 32") != std::string::npos);
        QVERIFY(log.find("otsu") != std::string::npos);
        for (const char* part : {"tensors", "layers", "kinds", "curve"}) {
            QFile f(csv + QStringLiteral("/fisher_gsm8k_mean_") + QLatin1String(part) +
                    QStringLiteral(".csv"));
            QVERIFY2(f.open(QIODevice::ReadOnly), part);
            const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
            if (QLatin1String(part) == QLatin1String("tensors")) {
                QCOMPARE(lines.size(), 228);
                QCOMPARE(lines[0], QByteArray("name,layer,kind,numel,score,rank"));
                // Scores are written in the shortest form that reads back exactly.
                QVERIFY(lines.contains(
                    QByteArray("model.layers.29.input_layernorm.weight,29,input_layernorm,0,"
                               "69.50052296742797,1")));
            }
            if (QLatin1String(part) == QLatin1String("layers"))
                QCOMPARE(lines.size(), 36); // header + 35 rows
        }
    }

    void mergeShards() {
        QTemporaryDir dir;
        auto shard = [&](int i, const char* sums, const char* scores, int count) {
            const QString path = dir.filePath(QStringLiteral("s%1.json").arg(i));
            const QByteArray text =
                QStringLiteral(
                    R"({"format": "taskquant-map", "version": 1,
                    "provenance": {"model_fingerprint": "fp", "method": "fisher", "dataset": "gsm8k",
                                   "samples": %1, "settings": {"max_length": 2048}, "clip_threshold": 2.5,
                                   "shard": {"index": %2, "count": 2}},
                    "merge": {"reduction": "mean", "count": %1},
                    "entries": [{"name": "a.weight", "score": %3, "sum": %4},
                                {"name": "b.weight", "score": %5, "sum": %6}]})")
                    .arg(count)
                    .arg(i)
                    .arg(QString::fromLatin1(scores).section(QLatin1Char(' '), 0, 0))
                    .arg(QString::fromLatin1(sums).section(QLatin1Char(' '), 0, 0))
                    .arg(QString::fromLatin1(scores).section(QLatin1Char(' '), 1, 1))
                    .arg(QString::fromLatin1(sums).section(QLatin1Char(' '), 1, 1))
                    .toUtf8();
            writeText(path, text);
            return path;
        };
        // shard 0: sums 2, 6 over 2 samples; shard 1: sums 1, 3 over 1 -> merged 3/3 = 1 and 9/3
        // = 3.
        const QString s0 = shard(0, "2 6", "1 3", 2);
        const QString s1 = shard(1, "1 3", "1 3", 1);
        const QString out = dir.filePath(QStringLiteral("merged.json"));
        std::string log;
        int rc = run("merge " + q(s1) + " " + q(s0) + " --out " + q(out), &log);
        QVERIFY2(rc == 0, log.c_str());
        const QJsonArray entries = readJson(out).value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0].toObject().value(QStringLiteral("score")).toDouble(), 1.0);
        QCOMPARE(entries[1].toObject().value(QStringLiteral("score")).toDouble(), 3.0);
        QCOMPARE(readJson(out)
                     .value(QStringLiteral("merge"))
                     .toObject()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 3);
        // The same shard twice is refused, and names it.
        const QString out2 = dir.filePath(QStringLiteral("merged2.json"));
        rc = run("merge " + q(s0) + " " + q(s0) + " --out " + q(out2), &log);
        QCOMPARE(rc, 1);
        QVERIFY2(log.find("given twice") != std::string::npos, log.c_str());
        QVERIFY(!QFileInfo::exists(out2));
    }
};

QTEST_GUILESS_MAIN(TstCliPolicy)
#include "tst_cli_policy.moc"
