// Measured error tables, the damage model, optimal allocation under it, bootstrap intervals
// and the frontier plot: hand-worked cases (torch-free parts of core/policy, core/sensitivity,
// core/eval).
#include <QtTest/QtTest>
#include <atomic>
#include <cmath>
#include <fstream>
#include <random>

#include "core/eval/frontier.h"
#include "core/eval/frontier_plot.h"
#include "core/export/apply_policy.h"
#include "core/export/policy_cost.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/policy/policy_builder.h"
#include "core/quant/codec.h"
#include "core/quant/sizes.h"
#include "core/sensitivity/bootstrap.h"
#include "core/util/error.h"

using namespace taskquant;
using quant::Precision;

Q_DECLARE_METATYPE(std::vector<double>)

namespace {

template <class F> void expectError(F f, const char* fragment) {
    try {
        f();
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no error containing: ") + QLatin1String(fragment)));
}

// One q4_0 block whose absmax element is -8: ggml's quantize_row_q4_0_ref then has
// d = max / -8 = 1 (exact in fp16) and q = min(15, (int)(x / d + 8.5)), x^ = (q - 8) * d:
// x = 0.25 -> 0 (error 0.25), x = 7.6 -> 7 (clamped, error 0.6), integers exact.
std::vector<float> q40Block() {
    std::vector<float> b(32, 0.0f);
    b[0] = -8.0f;
    b[1] = 0.25f;
    b[2] = 7.6f;
    b[3] = 3.0f;
    return b;
}
constexpr double kQ40BlockSse = 0.25 * 0.25 + (7.6f - 7.0) * (7.6f - 7.0); // 0.4225

sensitivity::SensitivityMap threeTensorMap() {
    // q has the highest score; v is the tensor that quantizes badly (outliers).
    std::vector<sensitivity::MapEntry> e{
        {"model.layers.0.self_attn.q_proj.weight", 10.0, 2048, std::vector<int64_t>{32, 64}},
        {"model.layers.0.self_attn.k_proj.weight", 1.0, 2048, std::vector<int64_t>{32, 64}},
        {"model.layers.0.self_attn.v_proj.weight", 1.0, 2048, std::vector<int64_t>{32, 64}}};
    return sensitivity::SensitivityMap(e, {});
}

policy::ErrorTable threeTensorErrors() {
    // SSE per precision (f16, q8_0, q4_0); bytes from ggml's blocks: 2048 weights are 64
    // blocks of 32: q8_0 34 B, q4_0 18 B per block; f16 2 B per weight.
    auto row = [](const char* n, double s8, double s4) {
        policy::ErrorRow r;
        r.name = n;
        r.shape = {32, 64};
        r.numel = 2048;
        r.sse = {0.0, s8, s4};
        r.error = {0.0, s8 / 2048, s4 / 2048};
        r.bytes = {4096, 2176, 1152};
        return r;
    };
    policy::ErrorTable t({"f16", "q8_0", "q4_0"},
                         {row("model.layers.0.self_attn.q_proj.weight", 1e-3, 0.1),
                          row("model.layers.0.self_attn.k_proj.weight", 1e-3, 0.1),
                          row("model.layers.0.self_attn.v_proj.weight", 0.5, 2.0)});
    t.setImportance("none");
    return t;
}

std::string precisionOf(const policy::Policy& p, const std::string& name) {
    return p.precisionFor(name).name();
}

} // namespace

class TstDamage : public QObject {
    Q_OBJECT
  private slots:
    void squaredErrorByHand() {
        // a - b = {1, -2, 0.5, 1} over 2 rows of 2 columns; weights per column {1, 3}.
        const float a[] = {1, 0, 0.5f, 3}, b[] = {0, 2, 0, 2};
        const float w[] = {1, 3};
        const auto e = policy::squaredError(a, b, 4, 2, w);
        QCOMPARE(e.sse, 1.0 + 4.0 + 0.25 + 1.0);
        // sum w_c d^2 = 1*1 + 3*4 + 1*0.25 + 3*1 = 16.25; mean w = 2.
        QCOMPARE(e.weightedSse, 16.25 / 2.0);
        QCOMPARE(policy::squaredError(a, b, 4, 2, nullptr).weightedSse, e.sse);
        const float zero[] = {0, 0};
        QCOMPARE(policy::squaredError(a, b, 4, 2, zero).weightedSse, e.sse);
    }

    void elementWeightedErrorByHand() {
        // Refinement (4): sum_i f_i d_i^2 / mean(f). d = {1, -2, 0.5, 1}, f = {2, 0, 1, 1}:
        // 2*1 + 0*4 + 1*0.25 + 1*1 = 3.25, mean f = 1.
        const float a[] = {1, 0, 0.5f, 3}, b[] = {0, 2, 0, 2};
        const float f[] = {2, 0, 1, 1};
        const auto e = policy::elementSquaredError(a, b, 4, f);
        QCOMPARE(e.sse, 6.25);
        QCOMPARE(e.weightedSse, 3.25);
        // D = 1/2 * score * FSSE: score 4 -> 6.5.
        QCOMPARE(policy::predictedKl(4.0, e.weightedSse), 6.5);
        const float zero[] = {0, 0, 0, 0};
        QCOMPARE(policy::elementSquaredError(a, b, 4, zero).weightedSse, 6.25);
        // Through measureErrors on the hand q4_0 block: all Fisher weight on element 2 (7.6 ->
        // 7, error 0.6): FSSE = (7.6f - 7)^2 / (1/32).
        const std::vector<float> w = q40Block();
        std::vector<float> fw(32, 0.0f);
        fw[2] = 1.0f;
        std::vector<policy::WeightView> views{{"a.weight", {1, 32}, w.data(), nullptr}};
        views[0].elementWeights = fw.data();
        const auto t = policy::measureErrors(views, {Precision::parse("q4_0")}, {1, "fisher"});
        const double d = double(7.6f) - 7.0;
        QVERIFY(std::fabs(*t.rows()[0].weightedSse[0] - 32.0 * d * d) < 1e-9);
        QVERIFY(std::fabs(*t.rows()[0].sse[0] - kQ40BlockSse) < 1e-9);
        // Element weights take precedence over column weights.
        std::vector<float> cols(32, 1.0f);
        views[0].columnWeights = cols.data();
        const auto t2 = policy::measureErrors(views, {Precision::parse("q4_0")}, {1, "fisher"});
        QCOMPARE(*t2.rows()[0].weightedSse[0], *t.rows()[0].weightedSse[0]);
    }

    void measuredTableMatchesCodecAndHand() {
        // Two rows of 64: each row is the hand block twice.
        std::vector<float> w;
        for (int i = 0; i < 4; ++i) {
            const auto b = q40Block();
            w.insert(w.end(), b.begin(), b.end());
        }
        std::vector<float> odd(2 * 48, 0.5f);
        const std::vector<Precision> ps{Precision::parse("f16"), Precision::parse("q8_0"),
                                        Precision::parse("q4_0"), Precision::parse("int8_g128")};
        const std::vector<policy::WeightView> views{{"a.weight", {2, 64}, w.data(), nullptr},
                                                    {"b.weight", {2, 48}, odd.data(), nullptr}};
        const auto t1 = policy::measureErrors(views, ps, {1, "none"});
        const auto t3 = policy::measureErrors(views, ps, {3, "none"});
        QCOMPARE(t1.toJsonText(), t3.toJsonText()); // thread count does not matter
        const policy::ErrorRow& a = *t1.find("a.weight");
        QCOMPARE(a.numel, int64_t(128));
        // Byte counts of ggml's block structs: 4 blocks of 32.
        QCOMPARE(*a.bytes[1], uint64_t(4 * 34));
        QCOMPARE(*a.bytes[2], uint64_t(4 * 18));
        QCOMPARE(*a.bytes[0], uint64_t(128 * 2));
        for (std::size_t j = 0; j < ps.size(); ++j)
            QCOMPARE(*a.bytes[j], ps[j].bytes({2, 64}));
        // f16 rounds 7.6 to 7.6015625 (steps of 2^-8 there) and 0.25, -8, 3 exactly.
        const double d16 = 7.6015625 - double(7.6f);
        QVERIFY(std::fabs(*a.sse[0] - 4 * d16 * d16) < 1e-15);
        QVERIFY(std::fabs(*a.sse[2] - 4 * kQ40BlockSse) < 1e-9);
        QCOMPARE(*a.error[2], *a.sse[2] / 128);
        QCOMPARE(*a.weightedSse[2], *a.sse[2]); // no importance
        // The SSE is that of the codec's own fakeQuantize.
        const auto q8 = quant::fakeQuantize(ps[1], w.data(), {2, 64}, 1);
        double s8 = 0;
        for (std::size_t i = 0; i < w.size(); ++i)
            s8 += (double(q8[i]) - w[i]) * (double(q8[i]) - w[i]);
        QCOMPARE(*a.sse[1], s8);
        // 48-wide rows cannot hold blocks of 32: null, so the allocator never picks them.
        const policy::ErrorRow& b = *t1.find("b.weight");
        QVERIFY(!b.sse[1] && !b.sse[2] && !b.error[2] && !b.bytes[2]);
        QVERIFY(b.sse[3].has_value());
        QCOMPARE(t1.importance(), std::string("none"));
        QVERIFY(t1.hasSse());
    }

    // A tensor taller than one block of rows (16 MiB of fp32) is measured block by block; every
    // codec is local to a row or to 64 values, so each type's SSE, column-weighted and
    // Fisher-weighted SSE equal those of the whole tensor's fakeQuantize, summed here.
    void tallTensorMeasuredInRowBlocksEqualsTheWholeTensor() {
        const int64_t rows = 16400, cols = 256; // 4,198,400 values: 16,384 rows + 16
        std::mt19937 gen(7);
        std::normal_distribution<float> normal(0.0f, 0.02f);
        std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
        std::vector<float> w(rows * cols), fisher(rows * cols), col(cols);
        for (auto& x : w)
            x = normal(gen);
        for (auto& x : fisher)
            x = uniform(gen);
        for (auto& x : col)
            x = 0.5f + uniform(gen);
        const std::vector<Precision> ps{
            Precision::parse("f16"),      Precision::parse("q8_0"),        Precision::parse("q4_k"),
            Precision::parse("q6_k"),     Precision::parse("iq4_xs"),      Precision::parse("nf4"),
            Precision::parse("int4_g32"), Precision::parse("int8_pc_asym")};
        policy::WeightView byColumn{"c.weight", {rows, cols}, w.data(), col.data()};
        policy::WeightView byElement{"e.weight", {rows, cols}, w.data(), nullptr};
        byElement.elementWeights = fisher.data();
        // the same rows read on demand (a bf16 weight's path): never the whole tensor at once
        policy::WeightView byRead{"r.weight", {rows, cols}, nullptr, nullptr};
        byRead.elementWeights = fisher.data();
        std::atomic<int64_t> largestRead{0}, rowsRead{0};
        byRead.readRows = [&](int64_t first, int64_t count, float* out) {
            QVERIFY(first >= 0 && first + count <= rows);
            std::copy(w.begin() + first * cols, w.begin() + (first + count) * cols, out);
            rowsRead += count;
            int64_t seen = largestRead.load();
            while (count > seen && !largestRead.compare_exchange_weak(seen, count)) {
            }
        };
        const auto t = policy::measureErrors({byColumn, byElement, byRead}, ps, {2, "test"});
        QVERIFY(largestRead.load() < rows);
        QCOMPARE(rowsRead.load(), rows * int64_t(ps.size())); // every row once per type
        double meanF = 0, meanC = 0;
        for (float f : fisher)
            meanF += f;
        meanF /= double(fisher.size());
        for (float c : col)
            meanC += c;
        meanC /= double(cols);
        auto near = [](double a, double b) { return std::fabs(a - b) <= 1e-9 * std::fabs(b); };
        for (std::size_t j = 0; j < ps.size(); ++j) {
            // the column-weighted view quantizes with its importance, the other without
            const auto qc = quant::fakeQuantize(ps[j], w.data(), {rows, cols}, 1, col.data());
            const auto qe = quant::fakeQuantize(ps[j], w.data(), {rows, cols}, 1);
            double sseC = 0, wC = 0, sseE = 0, wE = 0;
            for (int64_t i = 0; i < rows * cols; ++i) {
                const double dc = double(qc[i]) - w[i], de = double(qe[i]) - w[i];
                sseC += dc * dc;
                wC += col[i % cols] * dc * dc;
                sseE += de * de;
                wE += fisher[i] * de * de;
            }
            const policy::ErrorRow& c = *t.find("c.weight");
            const policy::ErrorRow& e = *t.find("e.weight");
            const policy::ErrorRow& r = *t.find("r.weight");
            const QString at = QString::fromStdString(ps[j].name());
            QVERIFY2(near(*r.sse[j], sseE), qPrintable(at));
            QVERIFY2(near(*r.weightedSse[j], wE / meanF), qPrintable(at));
            QVERIFY2(near(*c.sse[j], sseC), qPrintable(at));
            QVERIFY2(near(*c.weightedSse[j], wC / meanC), qPrintable(at));
            QVERIFY2(near(*e.sse[j], sseE), qPrintable(at));
            QVERIFY2(near(*e.weightedSse[j], wE / meanF), qPrintable(at));
            QVERIFY2(sseE > 0, qPrintable(at)); // a real error for every type
        }
    }

    void errorTableRoundTripAndCompatibility() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("e.json")).toStdString();
        policy::ErrorTable t = threeTensorErrors();
        t.setImportance("imatrix:x.dat");
        t.writeFile(path);
        const auto r = policy::ErrorTable::readFile(path);
        QCOMPARE(r.toJsonText(), t.toJsonText());
        QCOMPARE(*r.rows()[2].bytes[2], uint64_t(1152));
        QCOMPARE(r.importance(), std::string("imatrix:x.dat"));
        // A version-1 file without the new fields still reads (and has no SSE).
        std::ofstream(path)
            << R"({"format": "taskquant-errors", "version": 1, "precisions": ["f16"],
            "tensors": [{"name": "a", "shape": [2], "error": [0.5]}]})";
        const auto old = policy::ErrorTable::readFile(path);
        QVERIFY(!old.hasSse());
        QCOMPARE(policy::damageFormula(old), std::string("1/2*score*mse*numel"));
        // 1/2 * 4 * (0.5 * 2 weights)
        QCOMPARE(*policy::tensorDamage(4.0, old.rows()[0], 0, old), 2.0);
        std::ofstream(path)
            << R"({"format": "taskquant-errors", "version": 1, "precisions": ["f16", "q8_0"],
            "tensors": [{"name": "a", "shape": [2], "error": [0, 1], "sse": [0]}]})";
        expectError([&] { policy::ErrorTable::readFile(path); }, "1 sse values for 2 precisions");
        std::ofstream(path)
            << R"({"format": "taskquant-errors", "version": 1, "precisions": ["f16"],
            "tensors": [{"name": "a", "shape": [2], "error": [0], "bytes": [-4]}]})";
        expectError([&] { policy::ErrorTable::readFile(path); }, "non-negative integers");
    }

    void damageFormulaByHand() {
        // 1/2 * score * SSE: score 0.02, SSE 0.4225 (the hand block, 7.6f - 7 = 0.6 in fp32) ->
        // 0.004225.
        QVERIFY(std::fabs(policy::predictedKl(0.02, 0.4225) - 0.004225) < 1e-15);
        QVERIFY(std::fabs(policy::predictedKl(0.02, kQ40BlockSse) - 0.004225) < 1e-8);
        expectError([] { policy::predictedKl(-1, 1); }, "non-negative");
        policy::ErrorTable t = threeTensorErrors();
        const auto& v = t.rows()[2];
        QCOMPARE(*policy::tensorDamage(3.0, v, 2, t), 0.5 * 3.0 * 2.0);
        // With importance weights, (3) uses the weighted SSE.
        policy::ErrorRow w = v;
        w.weightedSse = {0.0, 0.25, 1.0};
        policy::ErrorTable tw({"f16", "q8_0", "q4_0"}, {w});
        tw.setImportance("imatrix:x.dat");
        QCOMPARE(policy::damageFormula(tw), std::string("1/2*score*weighted_sse"));
        QCOMPARE(*policy::tensorDamage(3.0, w, 2, tw), 0.5 * 3.0 * 1.0);
        policy::DamageOptions plain;
        plain.useWeighted = false;
        QCOMPARE(*policy::tensorDamage(3.0, w, 2, tw, plain), 0.5 * 3.0 * 2.0);
        tw.setImportance("none");
        QCOMPARE(*policy::tensorDamage(3.0, w, 2, tw), 0.5 * 3.0 * 2.0);
    }

    void optimalUnderTheDamageModel() {
        // Budget 4480 bytes = one q8_0 (2176) + two q4_0 (1152). Predicted damage:
        //   q8 for q: 1/2 (10*1e-3 + 1*0.1 + 1*2.0) = 1.055
        //   q8 for k: 1/2 (10*0.1 + 1*1e-3 + 1*2.0) = 1.5005
        //   q8 for v: 1/2 (10*0.1 + 1*0.1 + 1*0.5)  = 0.8    <- optimal
        // The old score-only proxy would upgrade q, the highest score.
        const auto map = threeTensorMap();
        const auto errors = threeTensorErrors();
        policy::BuildOptions b;
        b.method = "optimal";
        b.choices = {Precision::parse("f16"), Precision::parse("q8_0"), Precision::parse("q4_0")};
        b.errors = &errors;
        b.damageModel = true;
        b.budgetBytes = 4480;
        auto r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.v_proj.weight"),
                 std::string("q8_0"));
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.q_proj.weight"),
                 std::string("q4_0"));
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.k_proj.weight"),
                 std::string("q4_0"));
        QVERIFY(std::fabs(r.allocation->objective - 0.8) < 1e-12);
        QCOMPARE(r.allocation->bytes, uint64_t(4480));
        QCOMPARE(r.policy.provenance.params["damage_model"].get<std::string>(),
                 std::string("1/2*score*sse"));
        // One byte less: everything at q4_0.
        b.budgetBytes = 4479;
        r = policy::buildPolicy(map, b);
        QCOMPARE(r.policy.defaultPrecision.name(), std::string("q4_0"));
        QVERIFY(r.policy.overrides.empty());
        // Error-only (flat scores): q8 for v again (2.0 - 0.5 is the largest error drop).
        b.budgetBytes = 4480;
        b.flatScores = true;
        r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.v_proj.weight"),
                 std::string("q8_0"));
        QVERIFY(std::fabs(r.allocation->objective - 0.5 * (0.1 + 0.1 + 0.5)) < 1e-12);
        b.flatScores = false;
        // A pin is a hard constraint even when it costs: q at q8_0 leaves q4_0 for k and v.
        b.pinned["model.layers.0.self_attn.q_proj.weight"] = Precision::parse("q8_0");
        r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.q_proj.weight"),
                 std::string("q8_0"));
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.v_proj.weight"),
                 std::string("q4_0"));
        QVERIFY(std::fabs(r.allocation->objective - 1.055) < 1e-12);
        // ... and a budget that cannot hold the pin fails.
        b.budgetBytes = 2176 + 1152;
        expectError([&] { policy::buildPolicy(map, b); }, "below the smallest possible size");
        // Bits per weight: 4.5 bpw over 6144 weights = 3456 bytes = three q4_0.
        b.pinned.clear();
        b.budgetBytes.reset();
        b.averageBits = 4.5;
        r = policy::buildPolicy(map, b);
        QCOMPARE(r.allocation->bytes, uint64_t(3 * 1152));
        // Exact byte budgets count the tensors outside the allocation at their precision.
        b.averageBits.reset();
        b.shapes["model.norm.weight"] = {64}; // f16: 128 bytes
        b.budgetBytes = 4480 + 128;
        r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.v_proj.weight"),
                 std::string("q8_0"));
        b.budgetBytes = 4480 + 127;
        r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.v_proj.weight"),
                 std::string("q4_0"));
    }

    void optimalAllocatesTheEmbedding() {
        // A map of q (score 1) and a tied embedding (score 2), both [32, 64] = 2048 weights:
        // f16 4096 B, q8_0 2176 B, q4_0 1152 B. SSE q: 0, 0.01, 0.1; embedding: 0, 0.01, 0.4.
        // Budget 5248 B. Damage 1/2 score SSE of the pairs that fit (q, embedding):
        //   (f16, q4_0) 5248 B: 0 + 1/2*2*0.4       = 0.4
        //   (q8_0, q8_0) 4352 B: 1/2*0.01 + 1/2*2*0.01 = 0.015   <- optimal
        //   (q4_0, f16) 5248 B: 1/2*0.1 + 0         = 0.05
        //   (q4_0, q8_0) 3328 B: 0.05 + 0.01        = 0.06
        // With the embedding left at its class precision (f16, 4096 B) only q4_0 fits for q.
        std::vector<sensitivity::MapEntry> e{
            {"model.embed_tokens.weight", 2.0, 2048, std::vector<int64_t>{32, 64}},
            {"model.layers.0.self_attn.q_proj.weight", 1.0, 2048, std::vector<int64_t>{32, 64}}};
        const sensitivity::SensitivityMap map(e, {});
        auto row = [](const char* n, double s8, double s4) {
            policy::ErrorRow r;
            r.name = n;
            r.shape = {32, 64};
            r.numel = 2048;
            r.sse = {0.0, s8, s4};
            r.error = {0.0, s8 / 2048, s4 / 2048};
            r.bytes = {4096, 2176, 1152};
            return r;
        };
        policy::ErrorTable t({"f16", "q8_0", "q4_0"},
                             {row("model.embed_tokens.weight", 0.01, 0.4),
                              row("model.layers.0.self_attn.q_proj.weight", 0.01, 0.1)});
        t.setImportance("none");
        policy::BuildOptions b;
        b.method = "optimal";
        b.choices = {Precision::parse("f16"), Precision::parse("q8_0"), Precision::parse("q4_0")};
        b.errors = &t;
        b.damageModel = true;
        b.budgetBytes = 5248;
        auto r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.embed_tokens.weight"), std::string("q8_0"));
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.q_proj.weight"),
                 std::string("q8_0"));
        // The embedding's choice is an override even where it equals the default.
        QCOMPARE(r.policy.defaultPrecision.name(), std::string("q8_0"));
        QCOMPARE(r.policy.overrides.at("model.embed_tokens.weight").name(), std::string("q8_0"));
        QVERIFY(std::fabs(r.allocation->objective - 0.015) < 1e-12);
        QCOMPARE(r.allocation->bytes, uint64_t(4352));
        QCOMPARE(r.policy.estimate->bytes, uint64_t(4352));
        // The old scope: embedding fixed at f16, q alone gets the remaining 1152 B.
        b.allocateEmbeddings = false;
        r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.embed_tokens.weight"), std::string("f16"));
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.q_proj.weight"),
                 std::string("q4_0"));
        QVERIFY(std::fabs(r.allocation->objective - 0.05) < 1e-12);
        b.allocateEmbeddings = true;
        // A pin on the embedding is a hard constraint: f16 leaves q4_0 for q.
        b.pinned["model.embed_tokens.weight"] = Precision::parse("f16");
        r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.embed_tokens.weight"), std::string("f16"));
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.q_proj.weight"),
                 std::string("q4_0"));
        b.pinned.clear();
        // Without an error row the embedding is not allocated (no measured error, no estimate).
        policy::ErrorTable only({"f16", "q8_0", "q4_0"},
                                {row("model.layers.0.self_attn.q_proj.weight", 0.01, 0.1)});
        b.errors = &only;
        r = policy::buildPolicy(map, b);
        QCOMPARE(precisionOf(r.policy, "model.embed_tokens.weight"), std::string("f16"));
        QCOMPARE(precisionOf(r.policy, "model.layers.0.self_attn.q_proj.weight"),
                 std::string("q4_0"));
        // lm_head weights are allocated the same way; biases and norms are not candidates.
        QVERIFY(policy::allocatesPrecision("lm_head.weight"));
        QVERIFY(policy::allocatesPrecision("model.embed_tokens.weight"));
        QVERIFY(!policy::allocatesPrecision("lm_head.bias"));
        QVERIFY(!policy::allocatesPrecision("model.norm.weight"));
        QVERIFY(policy::allocatesPrecision("model.layers.3.mlp.down_proj.weight"));
    }

    void bootstrapKnownSpread() {
        // Tensor 0 alternates 0, 2 (mean 1, sd 1): the standard error of the mean of 400
        // samples is 0.05, a 95 % interval about 1 +- 1.96 * 0.05. Tensor 1 is constant 5.
        // Tensor 2 is 2 - tensor 0: per resample the two means sum to 2, so which of them is
        // larger is a coin toss.
        std::vector<std::vector<double>> c;
        for (int s = 0; s < 400; ++s) {
            const double a = s % 2 ? 2.0 : 0.0;
            c.push_back({a, 5.0, 2.0 - a});
        }
        sensitivity::BootstrapOptions o;
        o.resamples = 2000;
        o.topK = 2;
        const auto r = sensitivity::bootstrapMeans(c, o);
        QCOMPARE(r.samples, int64_t(400));
        QVERIFY2(std::fabs(r.lower[0] - (1 - 1.96 * 0.05)) < 0.015,
                 qPrintable(QString::number(r.lower[0])));
        QVERIFY2(std::fabs(r.upper[0] - (1 + 1.96 * 0.05)) < 0.015,
                 qPrintable(QString::number(r.upper[0])));
        QCOMPARE(r.lower[1], 5.0);
        QCOMPARE(r.upper[1], 5.0);
        QVERIFY(std::fabs(r.lower[2] + r.upper[0] - 2) < 1e-9);
        // Top 2 by the full sample: tensor 1, then tensor 0 (ties keep order).
        QCOMPARE(r.top.size(), std::size_t(2));
        QCOMPARE(r.top[0].tensor, std::size_t(1));
        QCOMPARE(r.top[0].probability, 1.0);
        QCOMPARE(r.top[1].tensor, std::size_t(0));
        QVERIFY2(r.top[1].probability > 0.4 && r.top[1].probability < 0.6,
                 qPrintable(QString::number(r.top[1].probability)));
        // Reproducible.
        QCOMPARE(sensitivity::bootstrapMeans(c, o).lower, r.lower);
        // One sample: no spread.
        const auto one = sensitivity::bootstrapMeans({{3.0, 1.0}}, o);
        QCOMPARE(one.lower, (std::vector<double>{3.0, 1.0}));
        expectError([] { sensitivity::bootstrapMeans({{1.0}, {1.0, 2.0}}); }, "different numbers");
    }

    void uncertaintyStoredInTheMap() {
        const auto map = threeTensorMap();
        sensitivity::ScoreUncertainty u;
        u.resamples = 100;
        u.samples = 64;
        u.topK = 2;
        u.lower = {9, 0.5, 0.5};
        u.upper = {11, 1.5, 1.5};
        u.topStability = {{"model.layers.0.self_attn.q_proj.weight", 1.0},
                          {"model.layers.0.self_attn.k_proj.weight", 0.55}};
        const auto m = map.withUncertainty(u);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("m.json")).toStdString();
        m.writeFile(path);
        const auto back = sensitivity::SensitivityMap::readFile(path);
        QVERIFY(back.uncertainty().has_value());
        QCOMPARE(back.uncertainty()->upper, u.upper);
        QCOMPARE(back.uncertainty()->topStability[1].second, 0.55);
        QCOMPARE(back.toJson().dump(), m.toJson().dump());
        // A map without it stays valid and writes none.
        QVERIFY(!map.toJson().contains("uncertainty"));
        u.lower[0] = 12;
        expectError([&] { map.withUncertainty(u); }, "ordered");
    }

    void frontierSvgIsAPlot() {
        const std::vector<eval::PlotPoint> pts{{"q4_0", "uniform", "none", 4.5, 1e-1},
                                               {"q8_0", "uniform", "none", 8.5, 1e-3},
                                               {"optimal fisher @5", "optimal", "fisher", 5, 2e-2},
                                               {"optimal fisher @6", "optimal", "fisher", 6, 5e-3},
                                               {"Q4_K_M", "recipe", "none", 4.9, 4e-2}};
        const std::string svg = eval::frontierSvg(pts, "a <test>");
        QVERIFY(svg.rfind("<?xml", 0) == 0);
        QVERIFY(svg.find("</svg>") != std::string::npos);
        QVERIFY(svg.find("a &lt;test&gt;") != std::string::npos);
        // One polyline per family (uniform, optimal fisher); the mix as a labelled point.
        std::size_t lines = 0;
        for (std::size_t at = svg.find("<polyline"); at != std::string::npos;
             at = svg.find("<polyline", at + 1))
            ++lines;
        QCOMPARE(lines, std::size_t(2));
        QVERIFY(svg.find(">Q4_K_M</text>") != std::string::npos);
        QVERIFY(svg.find(">optimal fisher</text>") != std::string::npos);
        // Log axis from 1e-3 to 1e-1.
        QVERIFY(svg.find(">1e-3</text>") != std::string::npos);
        QVERIFY(svg.find(">1e-1</text>") != std::string::npos);
        QVERIFY(svg.find(">1e-4</text>") == std::string::npos);
    }

    void policyCostByHand() {
        // Three 32x64 tensors (2048 weights each) and a 1-D norm of 64: a policy q4_0 on q,
        // q8_0 on k, q5_0 on v (no column in the table), f32 on the norm. Bytes by ggml's
        // blocks of 32: q4_0 64 x 18 = 1152, q8_0 64 x 34 = 2176, q5_0 64 x 22 = 1408; f32 256.
        const policy::ErrorTable t = threeTensorErrors();
        policy::Policy p;
        p.norms = Precision::parse("f32");
        p.overrides["model.layers.0.self_attn.q_proj.weight"] = Precision::parse("q4_0");
        p.overrides["model.layers.0.self_attn.k_proj.weight"] = Precision::parse("q8_0");
        p.overrides["model.layers.0.self_attn.v_proj.weight"] = Precision::parse("q5_0");
        const std::vector<exporting::NamedShape> shapes{
            {"model.layers.0.self_attn.q_proj.weight", {32, 64}},
            {"model.layers.0.self_attn.k_proj.weight", {32, 64}},
            {"model.layers.0.self_attn.v_proj.weight", {32, 64}},
            {"model.norm.weight", {64}}};
        const int64_t parameters = 3 * 2048 + 64;
        // Without scores (the error-only family): 1/2 * 1 * (0.1 + 1e-3); v unpredicted.
        const exporting::PolicyCost plain = exporting::policyCost(p, shapes, parameters, &t);
        QCOMPARE(plain.bytes, uint64_t(1152 + 2176 + 1408 + 256));
        QCOMPARE(plain.bitsPerWeight, 8.0 * (1152 + 2176 + 1408 + 256) / 6208.0);
        QVERIFY(std::fabs(plain.damage - 0.5 * (0.1 + 1e-3)) < 1e-15);
        QCOMPARE(plain.unpredicted, 1);
        // With the map's scores (q 10, k 1): 1/2 * (10 * 0.1 + 1 * 1e-3); an unscored tensor
        // is not counted at all.
        const exporting::PolicyCost scored = exporting::policyCost(
            p, shapes, parameters, &t, [](const std::string& n) -> std::optional<double> {
                if (n == "model.layers.0.self_attn.q_proj.weight")
                    return 10.0;
                if (n == "model.layers.0.self_attn.k_proj.weight")
                    return 1.0;
                return std::nullopt;
            });
        QVERIFY(std::fabs(scored.damage - 0.5 * (10 * 0.1 + 1e-3)) < 1e-15);
        QCOMPARE(scored.unpredicted, 0);
        // No table: sizes only.
        const exporting::PolicyCost sizes = exporting::policyCost(p, shapes, parameters, nullptr);
        QCOMPARE(sizes.bytes, plain.bytes);
        QCOMPARE(sizes.damage, 0.0);
        // One tensor's damage at its precision; no row / no column: none.
        QCOMPARE(*exporting::tensorDamageAt(t, "model.layers.0.self_attn.v_proj.weight",
                                            Precision::parse("q4_0"), 3.0),
                 0.5 * 3.0 * 2.0);
        QVERIFY(!exporting::tensorDamageAt(t, "model.layers.0.self_attn.v_proj.weight",
                                           Precision::parse("q5_0"), 3.0));
        QVERIFY(!exporting::tensorDamageAt(t, "model.norm.weight", Precision::parse("q4_0"), 3.0));
    }

    void predictDamageByHand() {
        // The one damage function on a hand-made table: q with the task text's Fisher level
        // (fisher_mean) 0.5 and Fisher-weighted SSE 0.2 at q4_0; k with level 2 and 0.01 at q8_0;
        // v without a level (not counted when the levels come from the table).
        //   damage = 1/2 * 0.5 * 0.2 + 1/2 * 2 * 0.01 = 0.05 + 0.01 = 0.06 units; kld = 1.5 x.
        policy::ErrorRow q{"model.layers.0.self_attn.q_proj.weight", {32, 64}, {0.1, 1e-3}};
        q.weightedSse = {0.2, 0.002};
        q.fisherMean = 0.5;
        policy::ErrorRow k{"model.layers.0.self_attn.k_proj.weight", {32, 64}, {0.1, 1e-3}};
        k.weightedSse = {0.4, 0.01};
        k.fisherMean = 2.0;
        policy::ErrorRow v{"model.layers.0.self_attn.v_proj.weight", {32, 64}, {0.1, 1e-3}};
        v.weightedSse = {0.3, 0.003};
        policy::ErrorTable t({"q4_0", "q8_0"}, {q, k, v});
        t.setImportance("per-weight Fisher of the task text");
        policy::Policy p;
        p.overrides[q.name] = Precision::parse("q4_0");
        p.overrides[k.name] = Precision::parse("q8_0");
        p.overrides[v.name] = Precision::parse("q4_0");
        const std::vector<exporting::NamedShape> shapes{{q.name, {32, 64}},
                                                        {k.name, {32, 64}},
                                                        {v.name, {32, 64}},
                                                        {"model.norm.weight", {64}}};
        exporting::TaskStatistics task;
        task.level = exporting::tableLevels(t);
        QVERIFY(bool(task.level));
        task.klPerUnit = 1.5;
        const exporting::DamagePrediction d = exporting::predictDamage(p, shapes, t, task);
        QCOMPARE(int(d.tensors.size()), 2);
        QVERIFY(std::fabs(d.tensors[0].damage - 0.05) < 1e-15);
        QVERIFY(std::fabs(d.tensors[1].damage - 0.01) < 1e-15);
        QVERIFY(std::fabs(d.damage - 0.06) < 1e-15);
        QVERIFY(std::fabs(d.kld - 0.09) < 1e-15);
        QCOMPARE(d.unpredicted, 0);
        // policyCost's damage is the same function (levels given as scores).
        QVERIFY(std::fabs(exporting::policyCost(p, shapes, 3 * 2048 + 64, &t, task.level).damage -
                          0.06) < 1e-15);
        // The level survives the JSON round trip; a table without levels gives none.
        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("levels.json")).toStdString();
        t.writeFile(path);
        const policy::ErrorTable back = policy::ErrorTable::readFile(path);
        QCOMPARE(*back.find(k.name)->fisherMean, 2.0);
        QVERIFY(!back.find(v.name)->fisherMean);
        QVERIFY(!exporting::tableLevels(threeTensorErrors()));
    }

    void fisherLevelTimesWeightedSseIsTheFisherSum() {
        // 1/2 * fisher_mean * weighted_sse (what predictDamage computes from a measured table)
        // equals 1/2 * sum_i F_i delta_i^2 summed directly over the codec's output: one 4x32
        // tensor at q4_0 with Fisher weights F_i = 1 + (i mod 7).
        std::vector<float> w(128), f(128);
        for (int i = 0; i < 128; ++i) {
            w[std::size_t(i)] = std::sin(0.37f * float(i)) * (1.0f + 0.05f * float(i % 11));
            f[std::size_t(i)] = 1.0f + float(i % 7);
        }
        const policy::WeightView view{
            "model.layers.0.mlp.up_proj.weight", {4, 32}, w.data(), nullptr, nullptr, f.data()};
        const policy::ErrorTable t = policy::measureErrors({view}, {Precision::parse("q4_0")});
        const policy::ErrorRow& row = t.rows()[0];
        QVERIFY(row.fisherMean);
        double mean = 0;
        for (float x : f)
            mean += x;
        mean /= 128.0;
        QVERIFY(std::fabs(*row.fisherMean - mean) < 1e-12);
        const std::vector<float> qv =
            quant::fakeQuantize(Precision::parse("q4_0"), w.data(), {4, 32});
        double direct = 0;
        for (int i = 0; i < 128; ++i) {
            const double d = double(qv[std::size_t(i)]) - double(w[std::size_t(i)]);
            direct += double(f[std::size_t(i)]) * d * d;
        }
        QVERIFY(direct > 0);
        policy::Policy p;
        p.overrides[row.name] = Precision::parse("q4_0");
        exporting::TaskStatistics task;
        task.level = exporting::tableLevels(t);
        const exporting::DamagePrediction d =
            exporting::predictDamage(p, {{row.name, {4, 32}}}, t, task);
        QVERIFY2(std::fabs(d.kld - 0.5 * direct) <= 1e-9 * direct,
                 qPrintable(QString::number(d.kld) + " vs " + QString::number(0.5 * direct)));
    }

    void bitsPerWeightNamesItsDenominator() {
        // llama.cpp's BPW: one q4_0 block is 18 bytes for 32 weights = 4.5 bits.
        QCOMPARE(quant::bitsPerWeight(18, 32), 4.5);
        QCOMPARE(quant::bitsPerWeight(18, 0), 0.0);
        QCOMPARE(quant::bitsPerCountedWeight(210, 256), 6.5625); // q6_k's block
        QCOMPARE(quant::bitsPerCountedWeight(1, -1), 0.0);
        QCOMPARE(Precision::parse("q4_0").bitsPerWeight({4, 32}), 4.5);
        // planSize: bytes at the effective precision, every element counted.
        std::vector<exporting::TensorPlan> plan(2);
        plan[0].shape = {32, 64};
        plan[0].effective = Precision::parse("q8_0");
        plan[1].shape = {64};
        plan[1].effective = Precision::parse("f32");
        const exporting::PlanSize size = exporting::planSize(plan);
        QCOMPARE(size.bytes, uint64_t(2176 + 256));
        QCOMPARE(size.parameters, int64_t(2048 + 64));
        QCOMPARE(size.bitsPerWeight(), 8.0 * 2432 / 2112.0);
    }

    void frontierPointsFoundByFields() {
        // Points are found by their fields (map, budget, kind), whatever their labels say.
        eval::FrontierResult r;
        auto point = [](const char* label, const char* kind, const char* map, double bits,
                        const char* recipe) {
            eval::FrontierPoint p;
            p.label = label;
            p.kind = kind;
            p.map = map;
            p.budgetBits = bits;
            p.budgetRecipe = recipe;
            return p;
        };
        r.points = {point("q4_0", "uniform", "", 0, ""),
                    point("optimal fisher (a) @4.5", "optimal", "b", 4.5, ""),
                    point("optimal fisher (b) =Q4_K_M", "optimal", "b", 4.5, "Q4_K_M"),
                    point("optimal fisher (x)", "optimal", "a", 4.5, ""),
                    point("optimal fisher (a) @6", "optimal", "a", 6, "")};
        QCOMPARE(r.optimalAt("a", 4.5), &r.points[3]);
        QCOMPARE(r.optimalAt("b", 4.5), &r.points[1]); // not the recipe-size budget
        QCOMPARE(r.optimalAt("a", 6), &r.points[4]);
        QVERIFY(r.optimalAt("a", 5) == nullptr);
        QVERIFY(r.optimalAt("", 0) == nullptr); // baselines are not optimal points
        QCOMPARE(eval::bitsText(4.5), std::string("4.5"));
        QCOMPARE(eval::bitsText(6), std::string("6"));
    }

    // The scale measured / predicted (exp of the median log ratio), hand-worked: the one fit of
    // `validate` and the studio's frontier prediction (moved here from the views' tests).
    void fitScale_data() {
        QTest::addColumn<std::vector<double>>("predicted");
        QTest::addColumn<std::vector<double>>("measured");
        QTest::addColumn<double>("scale");
        QTest::newRow("exact factor 2")
            << std::vector<double>{1, 2, 4} << std::vector<double>{2, 4, 8} << 2.0;
        QTest::newRow("median of an even count: sqrt(1*4)")
            << std::vector<double>{1, 1} << std::vector<double>{1, 4} << 2.0;
        QTest::newRow("median resists an outlier")
            << std::vector<double>{1, 1, 1} << std::vector<double>{3, 3, 1000} << 3.0;
        QTest::newRow("zero prediction skipped")
            << std::vector<double>{0, 1} << std::vector<double>{1, 3} << 3.0;
        QTest::newRow("zero measurement skipped")
            << std::vector<double>{5, 2} << std::vector<double>{0, 1} << 0.5;
        QTest::newRow("nothing usable") << std::vector<double>{0} << std::vector<double>{1} << 0.0;
        QTest::newRow("empty") << std::vector<double>{} << std::vector<double>{} << 0.0;
    }
    void fitScale() {
        QFETCH(std::vector<double>, predicted);
        QFETCH(std::vector<double>, measured);
        QFETCH(double, scale);
        const double s = policy::fitScale(predicted, measured);
        QVERIFY2(std::fabs(s - scale) <= 1e-12 * std::max(1.0, scale),
                 qPrintable(QString::number(s)));
    }
};

QTEST_APPLESS_MAIN(TstDamage)
#include "tst_damage.moc"
