#include <QtTest/QtTest>

#include "core/io/atomic_file.h"
#include "core/policy/policy.h"
#include "core/policy/policy_builder.h"
#include "core/quant/codec.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::policy;
using quant::Precision;

namespace {

Precision P(const char* n) {
    return Precision::parse(n);
}

Policy examplePolicy() {
    Policy p;
    p.defaultPrecision = P("int4_g128");
    p.lmHead = P("int8_g128");
    p.norms = P("f32");
    p.biases = P("bf16");
    p.overrides["model.layers.0.self_attn.q_proj.weight"] = P("f16");
    return p;
}

// Phi-2's shapes (hidden 2560, intermediate 10240, vocabulary 51200), from its config.
std::vector<int64_t> phi2Shape(const std::string& name) {
    auto has = [&](const char* s) { return name.find(s) != std::string::npos; };
    if (has("embed_tokens") || has("lm_head"))
        return {51200, 2560};
    if (has("layernorm"))
        return {2560};
    if (has("fc1"))
        return {10240, 2560};
    if (has("fc2"))
        return {2560, 10240};
    return {2560, 2560};
}

sensitivity::SensitivityMap twoTensorMap() {
    std::vector<sensitivity::MapEntry> e = {
        {"model.layers.0.self_attn.q_proj.weight", 10.0, 0, std::vector<int64_t>{256, 256}},
        {"model.layers.0.self_attn.k_proj.weight", 1.0, 0, std::vector<int64_t>{256, 256}},
        {"model.layers.0.input_layernorm.weight", 50.0, 0, std::vector<int64_t>{256}},
    };
    sensitivity::Provenance pv;
    pv.method = "fisher";
    pv.dataset = "gsm8k";
    return sensitivity::SensitivityMap(e, pv, std::nullopt, "two.json");
}

void expectError(const std::function<void()>& f, const char* needle) {
    try {
        f();
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
    }
}

} // namespace

class TstPolicy : public QObject {
    Q_OBJECT
  private slots:
    void precisionRules() {
        const Policy p = examplePolicy();
        QCOMPARE(p.precisionFor("model.layers.0.self_attn.q_proj.weight"), P("f16"));
        QCOMPARE(p.classPrecision("model.layers.0.self_attn.q_proj.weight"), P("int4_g128"));
        QCOMPARE(p.precisionFor("model.layers.0.self_attn.k_proj.weight"), P("int4_g128"));
        QCOMPARE(p.precisionFor("model.layers.0.self_attn.k_proj.bias"), P("bf16"));
        QCOMPARE(p.precisionFor("model.layers.0.input_layernorm.weight"), P("f32"));
        QCOMPARE(p.precisionFor("model.layers.0.input_layernorm.bias"), P("f32"));
        QCOMPARE(p.precisionFor("model.final_layernorm.weight"), P("f32"));
        QCOMPARE(p.precisionFor("model.embed_tokens.weight"), P("f16"));
        QCOMPARE(p.precisionFor("lm_head.weight"), P("int8_g128"));
        QCOMPARE(p.precisionFor("lm_head.bias"), P("bf16"));
        QCOMPARE(p.precisionFor("mystery.tensor"), P("f16"));
        // Defaults keep everything but block linear weights at f16.
        const Policy d;
        QCOMPARE(d.precisionFor("model.embed_tokens.weight"), P("f16"));
        QCOMPARE(d.precisionFor("lm_head.weight"), P("f16"));
        QCOMPARE(d.precisionFor("model.norm.weight"), P("f16"));
        QCOMPARE(d.precisionFor("model.layers.3.mlp.up_proj.weight"), P("int4_g128"));
    }

    void precisionLists() {
        // The one parser of --precisions / --uniform lists: order kept, blanks and empty items
        // skipped, the first unknown name named in the error.
        const std::vector<Precision> l = Precision::parseList(" q4_k, q6_k,,f16 ");
        QCOMPARE(l.size(), std::size_t(3));
        QCOMPARE(l[0], P("q4_k"));
        QCOMPARE(l[1], P("q6_k"));
        QCOMPARE(l[2], P("f16"));
        QVERIFY(Precision::parseList("").empty());
        QVERIFY(Precision::parseList(" , ,").empty());
        expectError([] { Precision::parseList("q8_0,q9_9"); }, "unknown precision 'q9_9'");
    }

    void estimateCountsBytesByHand() {
        const Policy p = examplePolicy();
        const std::vector<TensorShape> t = {
            {"model.layers.0.self_attn.q_proj.weight",
             std::vector<int64_t>{256, 256}}, // f16: 131072
            {"model.layers.0.self_attn.k_proj.weight",
             std::vector<int64_t>{256, 256}}, // int4_g128: 256 rows * 2 * (64 + 2) = 33792
            {"model.layers.0.input_layernorm.weight", std::vector<int64_t>{256}}, // f32: 1024
            {"model.embed_tokens.weight", std::vector<int64_t>{1000, 256}},       // f16: 512000
            {"lm_head.weight",
             std::vector<int64_t>{1000, 256}}, // int8_g128: 1000 * 2 * 130 = 260000
            {"model.layers.0.mlp.up_proj.weight", std::nullopt}};
        const SizeEstimate e = p.estimateSize(t);
        QCOMPARE(e.bytes, uint64_t(131072 + 33792 + 1024 + 512000 + 260000));
        QCOMPARE(e.weights, int64_t(65536 * 2 + 256 + 256000 * 2));
        QCOMPARE(e.referenceBytes, uint64_t(2 * (65536 * 2 + 256 + 256000 * 2)));
        QCOMPARE(e.tensors, int64_t(5));
        QCOMPARE(e.tensorsWithoutShape, int64_t(1));
        QCOMPARE(e.averageBits, 8.0 * 937888.0 / 643328.0);
        QCOMPARE(e.referenceBits, 16.0);
        QCOMPARE(e.byPrecision.at("f16").tensors, int64_t(2));
        QCOMPARE(e.byPrecision.at("f16").bytes, uint64_t(131072 + 512000));
        QCOMPARE(e.byPrecision.at("int8_g128").weights, int64_t(256000));
        // A partial last group: int8_g128 on rows of 200 = (128 + 2) + (72 + 2) bytes per row.
        Policy q;
        q.defaultPrecision = P("int8_g128");
        QCOMPARE(
            q.estimateSize({{"model.layers.0.mlp.up_proj.weight", std::vector<int64_t>{256, 200}}})
                .bytes,
            uint64_t(256 * 204));
        // A block format that cannot store the rows is an error, not a wrong number.
        q.defaultPrecision = P("q4_k");
        expectError(
            [&] {
                q.estimateSize(
                    {{"model.layers.0.mlp.up_proj.weight", std::vector<int64_t>{256, 200}}});
            },
            "cannot store");
    }

    void estimateMatchesCodecBytes() {
        // The estimate of a one-tensor policy equals the byte count the codec really produces.
        std::vector<float> data(512 * 256);
        for (std::size_t i = 0; i < data.size(); ++i)
            data[i] = std::sin(0.37f * float(i)) * 0.05f;
        for (const char* name :
             {"f32", "f16", "bf16", "int8_g128", "int4_g128", "int4_g32", "int4_pc",
              "int4_g128_asym", "int8_pc_asym", "nf4", "q8_0", "q4_0", "q4_k"}) {
            for (const std::vector<int64_t>& shape :
                 {std::vector<int64_t>{512, 256}, std::vector<int64_t>{256, 512},
                  std::vector<int64_t>{1024, 96}}) {
                Policy p;
                p.defaultPrecision = P(name);
                if (!p.defaultPrecision.supportsShape(shape))
                    continue;
                const SizeEstimate e =
                    p.estimateSize({{"model.layers.0.mlp.up_proj.weight", shape}});
                const std::string bytes = quant::encode(p.defaultPrecision, data.data(), shape, 1);
                QVERIFY2(e.bytes == bytes.size(), name);
            }
        }
    }

    void phi2EstimateMatchesHandCount() {
        TQ_REQUIRE_FIXTURE("maps/taskquant-phi2/fisher_gsm8k_mean.json");
        const auto map = sensitivity::SensitivityMap::readFile(
            tqtest::fixture("maps/taskquant-phi2/fisher_gsm8k_mean.json"));
        std::vector<TensorShape> shapes;
        for (const auto& e : map.entries())
            shapes.push_back({e.name, phi2Shape(e.name)});
        const SizeEstimate e = Policy().estimateSize(shapes);
        // By hand: per layer 4 * 2560 rows * 20 groups * 66 B + 2 * 13,516,800 (fc1, fc2)
        // + 2560 * 2 (norm) = 40,555,520; 32 layers = 1,297,776,640; embeddings and lm_head at
        // f16 2 * 262,144,000; final norm 5,120.
        QCOMPARE(e.bytes, uint64_t(1822069760));
        QCOMPARE(e.weights, int64_t(2778810880));
        QCOMPARE(e.referenceBytes, uint64_t(5557621760));
        // The pct policy protects 39 of 192 linear weights (Percentile test in tst_thresholds).
        BuildOptions b;
        b.method = "pct";
        for (const auto& s : shapes)
            b.shapes[s.name] = *s.shape;
        const BuildResult r = buildPolicy(map, b);
        QCOMPARE(r.candidates.size(), std::size_t(192));
        QCOMPARE(r.policy.overrides.size(), std::size_t(39));
        QCOMPARE(r.policy.estimate->tensorsWithoutShape, int64_t(0));
        QVERIFY(r.policy.estimate->bytes > e.bytes);
        QVERIFY(r.policy.estimate->bytes < e.referenceBytes);
        QCOMPARE(r.policy.precisionFor("model.layers.29.self_attn.k_proj.weight"), P("f16"));
        // Without shapes the policy is still made; the estimate says what it could not count.
        const BuildResult flat = buildPolicy(map, BuildOptions{});
        QCOMPARE(flat.policy.estimate->tensorsWithoutShape, int64_t(227));
    }

    void jsonRoundTrip() {
        Policy p = examplePolicy();
        p.scheme = {{"rounding", "nearest"}, {"symmetric", true}};
        p.provenance.map = "fisher.json";
        p.provenance.method = "otsu";
        p.provenance.params = {{"threshold", 9.5}};
        p.estimate = p.estimateSize({{"lm_head.weight", std::vector<int64_t>{10, 256}}});
        QTemporaryDir dir;
        const std::string path = dir.filePath("p.json").toStdString();
        p.writeFile(path);
        const Policy r = Policy::readFile(path);
        QCOMPARE(r.defaultPrecision, p.defaultPrecision);
        QCOMPARE(r.lmHead, p.lmHead);
        QCOMPARE(r.norms, p.norms);
        QCOMPARE(r.biases, p.biases);
        QCOMPARE(r.embeddings, p.embeddings);
        QCOMPARE(r.reference, p.reference);
        QVERIFY(r.overrides == p.overrides);
        QVERIFY(r.scheme == p.scheme);
        QCOMPARE(r.provenance.method, std::string("otsu"));
        QVERIFY(r.provenance.params == p.provenance.params);
        QVERIFY(r.estimate);
        QCOMPARE(r.estimate->bytes, p.estimate->bytes);
        QCOMPARE(r.estimate->averageBits, p.estimate->averageBits);
        QCOMPARE(r.estimate->byPrecision.at("int8_g128").bytes, uint64_t(10 * 2 * 130));
    }

    void malformedPolicies_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("needle");
        const std::string h = R"({"format": "taskquant-policy", "version": 1, )";
        auto row = [](const char* tag, const std::string& t, const char* n) {
            QTest::newRow(tag) << QString::fromStdString(t) << QString::fromLatin1(n);
        };
        row("not json", "{", "invalid JSON");
        row("wrong format", R"({"format": "taskquant-map", "version": 1})",
            "not a TaskQuant policy");
        row("version", R"({"format": "taskquant-policy", "version": 9, "default": "f16"})",
            "unsupported policy version 9");
        row("no default", h + R"("overrides": {}})", "\"default\" precision is missing");
        row("bad precision", h + R"("default": "int3_g128"})", "unknown precision");
        row("precision number", h + R"("default": 4})", "must be a precision name");
        row("unknown key", h + R"("default": "f16", "overides": {}})", "unknown key \"overides\"");
        row("overrides array", h + R"("default": "f16", "overrides": ["a"]})",
            "\"overrides\" must be an object");
        row("override bad", h + R"("default": "f16", "overrides": {"a.weight": "int5"}})",
            "override of \"a.weight\"");
        row("scheme string", h + R"("default": "f16", "scheme": "x"})",
            "\"scheme\" must be an object");
        row("estimate negative", h + R"("default": "f16", "estimate": {"bytes": -1}})",
            "non-negative integer");
        row("provenance type", h + R"("default": "f16", "provenance": {"method": 3}})",
            "must be a string");
    }
    void malformedPolicies() {
        QFETCH(QString, text);
        QFETCH(QString, needle);
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.json").toStdString();
        io::writeFileAtomically(path, text.toStdString());
        try {
            Policy::readFile(path);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).rfind(path, 0) == 0, e.what());
            QVERIFY2(std::string(e.what()).find(needle.toStdString()) != std::string::npos,
                     e.what());
        }
    }

    void optimalWithErrorTable() {
        // q (score 10) and k (score 1), both [256, 256]: f16 131072 B, int8_g128 66560 B,
        // int4_g128 33792 B; errors 0, 1e-4, 1e-2 for both. Budget 7 bits per weight over
        // 131072 weights = 114688 B: (int8, int8) = 133120 does not fit; (int8, int4) = 100352
        // costs 10e-4 + 1e-2 = 0.011, (int4, int8) 0.1001, (int4, int4) 0.11. So q int8, k int4.
        const auto map = twoTensorMap();
        const ErrorTable table(
            {"f16", "int8_g128", "int4_g128"},
            {{"model.layers.0.self_attn.q_proj.weight", {256, 256}, {0.0, 1e-4, 1e-2}},
             {"model.layers.0.self_attn.k_proj.weight", {256, 256}, {0.0, 1e-4, 1e-2}}});
        BuildOptions b;
        b.method = "optimal";
        b.choices = {P("f16"), P("int8_g128"), P("int4_g128")};
        b.errors = &table;
        b.averageBits = 7.0;
        BuildResult r = buildPolicy(map, b);
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.q_proj.weight"), P("int8_g128"));
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.k_proj.weight"), P("int4_g128"));
        QCOMPARE(r.policy.precisionFor("model.layers.0.input_layernorm.weight"), P("f16"));
        QVERIFY(std::fabs(r.allocation->objective - 0.011) < 1e-12);
        QCOMPARE(r.allocation->bytes, uint64_t(100352));
        // The same budget as whole-map MiB: the norm's 512 bytes count against it.
        b.averageBits.reset();
        b.budgetMiB = (114688.0 + 512.0) / (1024.0 * 1024.0);
        r = buildPolicy(map, b);
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.q_proj.weight"), P("int8_g128"));
        QCOMPARE(r.policy.estimate->bytes, uint64_t(100352 + 512));
        // One byte under 100352 + 512 and (int8, int4) no longer fits: both go to int4.
        b.budgetMiB = (100352.0 + 512.0 - 1.0) / (1024.0 * 1024.0);
        r = buildPolicy(map, b);
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.q_proj.weight"), P("int4_g128"));
        // A null error forbids that precision for that tensor.
        const ErrorTable forbid(
            {"f16", "int8_g128", "int4_g128"},
            {{"model.layers.0.self_attn.q_proj.weight", {256, 256}, {0.0, std::nullopt, 1e-2}},
             {"model.layers.0.self_attn.k_proj.weight", {256, 256}, {0.0, 1e-4, 1e-2}}});
        b.errors = &forbid;
        b.budgetMiB.reset();
        b.averageBits = 7.0;
        r = buildPolicy(map, b);
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.q_proj.weight"), P("int4_g128"));
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.k_proj.weight"), P("int8_g128"));
    }

    void optimalProxyAndErrors() {
        const auto map = twoTensorMap();
        BuildOptions b;
        b.method = "optimal";
        b.choices = {P("f16"), P("int8_g128"), P("int4_g128")};
        b.averageBits = 7.0;
        expectError([&] { buildPolicy(map, b); }, "error table is needed");
        // Proxy errors 0, 2^-16, 2^-8: (int8, int4) costs 10*2^-16 + 2^-8 < (int4, int8) 10*2^-8 +
        // 2^-16.
        b.bitsProxy = true;
        BuildResult r = buildPolicy(map, b);
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.q_proj.weight"), P("int8_g128"));
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.k_proj.weight"), P("int4_g128"));
        QCOMPARE(r.allocation->objective, 10.0 / 65536.0 + 1.0 / 256.0);
        b.budgetMiB = 1.0;
        expectError([&] { buildPolicy(map, b); }, "exactly one budget");
        b.budgetMiB.reset();
        b.averageBits = 3.0; // below int4_g128's 4.125 bits
        expectError([&] { buildPolicy(map, b); }, "below the smallest possible size");
        b.averageBits = 7.0;
        const ErrorTable missing({"f16", "int4_g128"}, {});
        b.bitsProxy = false;
        b.errors = &missing;
        expectError([&] { buildPolicy(map, b); }, "no column for int8_g128");
        b.choices = {P("f16"), P("int4_g128")};
        expectError([&] { buildPolicy(map, b); }, "no row for");
    }

    void selectionPolicies() {
        const auto map = twoTensorMap();
        BuildOptions b;
        b.method = "knapsack";
        // Keeping q at f16 instead of int4_g128 costs 131072 - 33792 = 97280 bytes.
        b.selection.budgetMiB = 97280.0 / (1024.0 * 1024.0);
        BuildResult r = buildPolicy(map, b);
        QCOMPARE(r.policy.overrides.size(), std::size_t(1));
        QCOMPARE(r.policy.precisionFor("model.layers.0.self_attn.q_proj.weight"), P("f16"));
        QCOMPARE(r.policy.provenance.params["extra_bytes"].get<uint64_t>(), uint64_t(97280));
        b.selection.budgetMiB = 97279.0 / (1024.0 * 1024.0);
        QCOMPARE(buildPolicy(map, b).policy.overrides.size(), std::size_t(0));
        // The norm is not a candidate: a threshold over {10, 1} keeps only q.
        b.method = "pct";
        b.selection.keepFraction = 0.5; // quantile 0.5 of {1, 10} = 5.5
        r = buildPolicy(map, b);
        QCOMPARE(r.candidates.size(), std::size_t(2));
        QCOMPARE(r.policy.overrides.size(), std::size_t(1));
        QCOMPARE(r.policy.provenance.params["threshold"].get<double>(), 5.5);
        QCOMPARE(r.policy.provenance.map, std::string("two.json"));
        QCOMPARE(r.policy.provenance.mapMethod, std::string("fisher"));
        b.method = "kmeans";
        expectError([&] { buildPolicy(map, b); }, "unknown selection method");
        // Knapsack needs shapes.
        const sensitivity::SensitivityMap noShapes(
            {{"model.layers.0.mlp.up_proj.weight", 1.0, 0, std::nullopt}}, {});
        b.method = "knapsack";
        expectError([&] { buildPolicy(noShapes, b); },
                    "shape of \"model.layers.0.mlp.up_proj.weight\" is unknown");
        const sensitivity::SensitivityMap noLinear({{"model.norm.weight", 1.0, 0, std::nullopt}},
                                                   {});
        expectError([&] { buildPolicy(noLinear, b); }, "no quantizable linear weights");
    }

    void errorTableFile() {
        const ErrorTable t({"f16", "int4_g128"}, {{"a.weight", {4, 128}, {0.0, std::nullopt}}},
                           "mse");
        QTemporaryDir dir;
        const std::string path = dir.filePath("e.json").toStdString();
        t.writeFile(path);
        const ErrorTable r = ErrorTable::readFile(path);
        QCOMPARE(r.precisions(), (std::vector<std::string>{"f16", "int4_g128"}));
        QCOMPARE(r.find("a.weight")->shape, (std::vector<int64_t>{4, 128}));
        QVERIFY(!r.find("a.weight")->error[1]);
        QCOMPARE(r.column("int4_g128"), 1);
        QCOMPARE(r.column("nf4"), -1);
        io::writeFileAtomically(
            path,
            R"({"format": "taskquant-errors", "version": 1, "precisions": ["f16", "f16"], "tensors": []})");
        expectError([&] { ErrorTable::readFile(path); }, "listed twice");
        io::writeFileAtomically(
            path,
            R"({"format": "taskquant-errors", "version": 1, "precisions": ["f16"], "tensors": [{"name": "a", "shape": [1], "error": [-1]}]})");
        expectError([&] { ErrorTable::readFile(path); }, "not a finite non-negative");
        io::writeFileAtomically(
            path,
            R"({"format": "taskquant-errors", "version": 1, "precisions": ["f16"], "tensors": [{"name": "a", "shape": [1], "error": [1, 2]}]})");
        expectError([&] { ErrorTable::readFile(path); }, "2 errors for 1 precisions");
    }
};

QTEST_APPLESS_MAIN(TstPolicy)
#include "tst_policy.moc"
