// `taskquant eval` against llama.cpp's llama-perplexity (golden/llama-perplexity, upstream commit
// 0a50d99, CPU build, stories260K on raw wiki.test.raw, 20 chunks):
//  - windows: the stream starts with BOS and every window with BOS, as llama-perplexity cuts
//    them (checked by hand on the tokens);
//  - the exporter reproduces the golden mixed Q4_0/Q8_0 GGUF byte for byte from its policy;
//  - PPL of the F32 model within 1e-3 relative of llama-perplexity's at -c 128 and -c 256
//    (measured 6e-5, 8e-5); of that GGUF (read back with --gguf, activations rounded as
//    llama.cpp's CPU backend rounds them) within 3e-3 (see the test for why not 1e-3);
//  - KLD mean within 3 % of llama.cpp's (not exact: llama.cpp's --kl-divergence reads the base
//    log-probabilities back from its compressed base file, its "Mean PPL(base)" reads 111.17
//    instead of 114.16; ours are the exact float32 log-probabilities);
//  - GGUF read-back on synthetic GQA llamas: an f32 export gives the baseline exactly (the q/k
//    permutation is undone), a q8_0 export in float32 the in-memory q8_0 figures exactly; wrong
//    architecture and an undecodable tensor type give errors naming the file and the tensor;
//  - llama.cpp's CPU activation rounding (q8_0, q8_K, f16) on hand-worked values.
#include <QtTest/QtTest>
#include <cmath>
#include <fstream>

#include "core/eval/evaluation_run.h"
#include "core/eval/gguf_weights.h"
#include "core/eval/policy_comparison.h"
#include "core/eval/token_metrics.h"
#include "core/export/gguf_export.h"
#include "core/io/atomic_file.h"
#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

namespace {

const char* kGolden = "golden/llama-perplexity";
const char* kModel = "models/stories260K";
const char* kText = "data/wikitext2/wiki.test.raw";

struct Golden {
    int64_t ctx;
    double pplF32, pplMixed, kldMean;
};
// golden/llama-perplexity/README.md
const Golden kFigures[] = {{128, 114.1604, 121.9426, 0.167437},
                           {256, 123.1270, 129.2609, 0.174293}};

std::string mixedGguf() {
    return tqtest::fixture(std::string(kGolden) + "/stories260K-q4_0-q8_0.gguf");
}
std::string mixedPolicy() {
    return tqtest::fixture(std::string(kGolden) + "/stories260K-q4_0-q8_0.policy.json");
}

std::string syntheticLlama(QTemporaryDir& tmp, const std::string& name, const std::string& preset) {
    const std::string dir = tmp.path().toStdString() + "/" + name;
    models::SyntheticSpec s;
    s.preset = preset;
    s.hiddenSize = 64;
    s.numLayers = 2;
    s.numHeads = 4;
    s.numKvHeads = 2;
    s.seed = 5;
    models::writeSyntheticModel(dir, s);
    return dir;
}

policy::Policy allAt(const std::string& precision) {
    policy::Policy p;
    p.defaultPrecision = quant::Precision::parse(precision);
    p.embeddings = p.lmHead = p.defaultPrecision;
    p.norms = p.biases = p.other = quant::Precision::parse("f32");
    return p;
}

double rel(double a, double b) {
    return std::abs(a - b) / std::abs(b);
}

} // namespace

class TstPerplexityGolden : public QObject {
    Q_OBJECT

  private slots:
    void windowsStartWithBos() {
        TQ_REQUIRE_FIXTURE(kModel);
        TQ_REQUIRE_FIXTURE(kText);
        auto tok = tokenize::loadTokenizer(tqtest::fixture(kModel));
        const std::string text = io::readFile(tqtest::fixture(kText)).substr(0, 20000);
        const auto tokens = eval::perplexityTokens(*tok, text);
        const auto plain = tok->encode(text, false);
        QCOMPARE(tokens.front(), tok->bosId());
        QCOMPARE(tokens.size(), plain.size() + 1);
        QVERIFY(std::equal(plain.begin(), plain.end(), tokens.begin() + 1));
        const auto o = eval::perplexityChunkOptions(*tok, 128, 3);
        QCOMPARE(o.bosId, int64_t(tok->bosId()));
        const auto chunks = eval::makeChunks(tokens, o);
        QCOMPARE(chunks.size(), std::size_t(3));
        for (std::size_t c = 0; c < chunks.size(); ++c) {
            QCOMPARE(chunks[c][0], int64_t(1)); // BOS of stories260K
            // the rest is the stream itself: window c covers tokens [128 c, 128 (c + 1))
            for (int64_t j = 1; j < 128; ++j)
                QCOMPARE(chunks[c][j], int64_t(tokens[c * 128 + j]));
        }
        // window 1's second token is plain text token 128 (the BOS-first stream is one longer)
        QCOMPARE(chunks[1][1], int64_t(plain[128]));
        QCOMPARE(eval::scoredPerChunk(128), int64_t(128 - 64 - 1));
    }

    void exporterReproducesGoldenGguf() {
        TQ_REQUIRE_FIXTURE(kModel);
        TQ_REQUIRE_FIXTURE(std::string(kGolden) + "/stories260K-q4_0-q8_0.gguf");
        QTemporaryDir tmp;
        const std::string out = tmp.filePath("mixed.gguf").toStdString();
        exporting::exportGguf(tqtest::fixture(kModel), policy::Policy::readFile(mixedPolicy()),
                              out);
        QVERIFY(io::readFile(out) == io::readFile(mixedGguf()));
    }

    void perplexityMatchesLlamaPerplexity_data() {
        QTest::addColumn<int>("index");
        QTest::newRow("c128") << 0;
        QTest::newRow("c256") << 1;
    }
    void perplexityMatchesLlamaPerplexity() {
        QFETCH(int, index);
        TQ_REQUIRE_FIXTURE(kModel);
        TQ_REQUIRE_FIXTURE(kText);
        TQ_REQUIRE_FIXTURE(std::string(kGolden) + "/stories260K-q4_0-q8_0.gguf");
        const Golden& g = kFigures[index];
        eval::EvaluationRequest r;
        r.modelDir = tqtest::fixture(kModel);
        r.textFile = tqtest::fixture(kText);
        r.ctx = g.ctx;
        r.chunks = 20;
        r.policies.emplace_back("policy", policy::Policy::readFile(mixedPolicy()));
        r.ggufFiles = {mixedGguf()};
        const auto result = eval::runEvaluation(r);
        QCOMPARE(result.rows.size(), std::size_t(3));
        const auto& base = result.rows[0];
        const auto& pol = result.rows[1];
        const auto& file = result.rows[2];
        qInfo("c %lld: PPL f32 %.4f (llama %.4f, rel %.2e), GGUF %.4f (llama %.4f, rel %.2e), "
              "policy %.4f; KLD %.6f (llama %.6f, rel %.2e); same top1 %.3f %%",
              (long long)g.ctx, base.ppl, g.pplF32, rel(base.ppl, g.pplF32), file.ppl, g.pplMixed,
              rel(file.ppl, g.pplMixed), pol.ppl, file.kldMean, g.kldMean,
              rel(file.kldMean, g.kldMean), 100 * file.sameTop1);
        for (const auto& row : result.rows) {
            QCOMPARE(row.chunks, int64_t(20));
            QCOMPARE(row.tokens, int64_t(20 * (g.ctx - g.ctx / 2 - 1)));
        }
        QVERIFY2(rel(base.ppl, g.pplF32) < 1e-3, qPrintable(QString::number(base.ppl, 'f', 5)));
        // The mixed file only to 3e-3: once activations are rounded to q8_0 (as llama.cpp's CPU
        // backend does), float32 summation order alone moves this 20-chunk PPL by up to 1e-3
        // (measured: 121.7196 / 121.7657 at 1 / 2 threads; 129.2104 .. 129.3443 at -c 256),
        // because tiny differences flip activations to neighbouring q8_0 levels. Matching to
        // 1e-3 would need ggml's exact summation order and f16 KV cache (rounding q/k/v to f16
        // by hand gave 4.6e-4 at -c 128 but 1.4e-3 at -c 256). Measured here: 1.5e-3 .. 1.8e-3
        // at -c 128, 3.9e-4 .. 6.5e-4 at -c 256.
        QVERIFY2(rel(file.ppl, g.pplMixed) < 3e-3, qPrintable(QString::number(file.ppl, 'f', 5)));
        QVERIFY2(rel(file.kldMean, g.kldMean) < 0.03,
                 qPrintable(QString::number(file.kldMean, 'f', 6)));
        // the in-memory policy has the file's weights but float32 activations: close, not equal
        QVERIFY2(rel(pol.ppl, file.ppl) < 1e-2, qPrintable(QString::number(pol.ppl, 'f', 6)));
        QVERIFY(pol.ppl != file.ppl);
    }

    void ggufReadBackUndoesPermutation() {
        QTemporaryDir tmp;
        const std::string dir = syntheticLlama(tmp, "m", "llama");
        const std::string f32 = tmp.filePath("f32.gguf").toStdString();
        const std::string q8 = tmp.filePath("q8.gguf").toStdString();
        exporting::exportGguf(dir, allAt("f32"), f32);
        exporting::exportGguf(dir, allAt("q8_0"), q8);
        auto model = models::loadModel(dir);
        QVERIFY(model->config().numKvHeads != model->config().numHeads);
        std::vector<int32_t> toks;
        for (int i = 0; i < 100; ++i)
            toks.push_back((i * 37 + 11) % int(model->config().vocabSize));
        std::vector<at::Tensor> before;
        for (const auto& p : model->parameters())
            before.push_back(p.tensor.clone());
        {
            eval::GgufWeightSwap swap(*model);
            swap.apply(f32);
            for (std::size_t i = 0; i < before.size(); ++i)
                QVERIFY2(at::equal(model->parameters()[i].tensor, before[i]),
                         model->parameters()[i].name.c_str());
            swap.restore();
        }
        eval::ComparisonOptions o;
        o.chunks = {32, 0, -1};
        o.ggufFiles = {f32, q8};
        o.ggufCpuArithmetic = false;
        const auto rows = eval::comparePolicies(*model, toks, {{"q8", allAt("q8_0")}}, o);
        QCOMPARE(rows.size(), std::size_t(4));
        QCOMPARE(rows[2].metrics.ppl, rows[0].metrics.ppl); // f32 file = the model
        QCOMPARE(rows[2].metrics.kldMax, 0.0);
        QVERIFY(rows[1].metrics.kldMean > 0);
        QCOMPARE(rows[3].metrics.ppl, rows[1].metrics.ppl); // q8_0 file = in-memory q8_0
        QCOMPARE(rows[3].metrics.kldMean, rows[1].metrics.kldMean);
        // with llama.cpp's CPU activation rounding: f32 unchanged, q8_0 moves
        o.ggufCpuArithmetic = true;
        const auto cpu = eval::comparePolicies(*model, toks, {}, o);
        QCOMPARE(cpu[1].metrics.ppl, rows[0].metrics.ppl);
        QVERIFY(cpu[2].metrics.ppl != rows[3].metrics.ppl);
        QVERIFY(std::abs(cpu[2].metrics.ppl / rows[3].metrics.ppl - 1) < 1e-2);
        for (std::size_t i = 0; i < before.size(); ++i) // restored afterwards
            QVERIFY(at::equal(model->parameters()[i].tensor, before[i]));
    }

    void cpuActivationRoundingByHand() {
        // q8_0 (for a q4_0 / q8_0 matrix): amax 127 -> d = 1, q = round(x), ties to even
        std::vector<float> x(32, 0.0f);
        const float in[] = {127, 0.5f, 1.5f, -2.5f, 3.4f, -126.6f};
        const float want[] = {127, 0, 2, -2, 3, -127};
        std::copy(std::begin(in), std::end(in), x.begin());
        at::Tensor a = at::tensor(x).view({1, 32});
        at::Tensor r = eval::ggmlCpuActivations(io::GgmlType::Q4_0, a);
        for (int i = 0; i < 6; ++i)
            QCOMPARE(r[0][i].item<float>(), want[i]);
        // amax 1: d = fp16(1/127) = 0.0078735..., q = round(x * 127)
        a = at::zeros({1, 32});
        a[0][0] = 1.0f;
        a[0][1] = 0.3f; // 38.1 -> 38
        r = eval::ggmlCpuActivations(io::GgmlType::Q8_0, a);
        const float d = float(at::Half(1.0f / 127.0f));
        QCOMPARE(r[0][0].item<float>(), 127 * d);
        QCOMPARE(r[0][1].item<float>(), 38 * d);
        // q8_K (for k-quants): m = -254 (largest |x|) -> iscale 0.5, x' = 2 round(x / 2)
        std::vector<float> y(256, 0.0f);
        y[0] = 3;    // 1.5 -> 2 -> 4
        y[1] = 5;    // 2.5 -> 2 -> 4
        y[2] = -254; // -> -254
        y[3] = 200;  // -> 200
        y[4] = 7.2f; // 3.6 -> 4 -> 8
        r = eval::ggmlCpuActivations(io::GgmlType::Q4_K, at::tensor(y).view({256}));
        const float wantK[] = {4, 4, -254, 200, 8};
        for (int i = 0; i < 5; ++i)
            QCOMPARE(r[i].item<float>(), wantK[i]);
        // f16 matrix: f16 activations; f32: unchanged; rows not dividing the block: error
        QCOMPARE(eval::ggmlCpuActivations(io::GgmlType::F16, at::full({2}, 1.0f + 1.0f / 4096))[0]
                     .item<float>(),
                 1.0f);
        QCOMPARE(eval::ggmlCpuActivations(io::GgmlType::F32, at::full({2}, 0.1f))[0].item<float>(),
                 0.1f);
        QVERIFY_THROWS_EXCEPTION(Error,
                                 eval::ggmlCpuActivations(io::GgmlType::Q8_0, at::ones({40})));
    }

    void ggufErrorsNameFileAndTensor() {
        QTemporaryDir tmp;
        const std::string llama = syntheticLlama(tmp, "l", "llama");
        const std::string phi = syntheticLlama(tmp, "p", "phi");
        const std::string phiFile = tmp.filePath("phi.gguf").toStdString();
        exporting::exportGguf(phi, allAt("f32"), phiFile);
        auto model = models::loadModel(llama);
        auto message = [&](const std::string& file) {
            try {
                eval::GgufWeightSwap(*model).apply(file);
            } catch (const Error& e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        std::string m = message(phiFile);
        QVERIFY2(m.find(phiFile) != std::string::npos && m.find("phi2") != std::string::npos,
                 m.c_str());
        // an f16 matrix re-typed as I16 (same byte size, no decoder)
        const std::string f16File = tmp.filePath("f16.gguf").toStdString();
        exporting::exportGguf(llama, allAt("f16"), f16File);
        std::string bytes = io::readFile(f16File);
        const std::string name = "blk.0.ffn_down.weight";
        const std::size_t at = bytes.find(name);
        QVERIFY(at != std::string::npos);
        const std::size_t typePos = at + name.size() + 4 + 2 * 8; // n_dims, two dims
        QCOMPARE(uint8_t(bytes[typePos]), uint8_t(1));            // F16
        bytes[typePos] = char(25);                                // I16
        const std::string bad = tmp.filePath("i16.gguf").toStdString();
        io::writeFileAtomically(bad, bytes);
        m = message(bad);
        QVERIFY2(m.find(bad) != std::string::npos && m.find(name) != std::string::npos &&
                     m.find("i16") != std::string::npos,
                 m.c_str());
        m = message(tmp.filePath("absent.gguf").toStdString());
        QVERIFY2(m.find("absent.gguf") != std::string::npos, m.c_str());
    }
};

QTEST_GUILESS_MAIN(TstPerplexityGolden)
#include "tst_perplexity_golden.moc"
