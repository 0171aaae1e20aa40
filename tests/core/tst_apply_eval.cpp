// Applying policies in memory and the llama.cpp-style quality metrics:
//  - fitPrecision fallbacks by hand; an applied q8_0 policy equals a reference q8_0 computed
//    here from ggml's definition; restore() gives the original weights back bit for bit;
//  - chunking and percentiles by hand; perplexity against a direct log-softmax in the test;
//    an unchanged model has KL 0 and top-1 agreement 1;
//  - GSM8K extraction / gold parsing on hand-written strings, and the generation pipeline on
//    a tiny model;
//  - stories260K: the eval table's baseline has KL 0 and all-4-bit is worse than all-8-bit.
#include <QtTest/QtTest>
#include <cmath>

#include "core/data/readers.h"
#include "core/eval/gsm8k.h"
#include "core/eval/policy_comparison.h"
#include "core/eval/token_metrics.h"
#include "core/export/apply_policy.h"
#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;

namespace {

policy::Policy allAt(const std::string& precision) {
    policy::Policy p;
    p.defaultPrecision = quant::Precision::parse(precision);
    p.embeddings = p.lmHead = p.defaultPrecision;
    p.norms = p.biases = p.other = quant::Precision::parse("f32");
    return p;
}

std::string makeModel(QTemporaryDir& tmp, const std::string& preset, int64_t hidden = 64) {
    const std::string dir = tmp.path().toStdString() + "/" + preset;
    models::SyntheticSpec s;
    s.preset = preset;
    s.hiddenSize = hidden;
    s.numLayers = 2;
    s.numHeads = 4;
    s.seed = 7;
    models::writeSyntheticModel(dir, s);
    return dir;
}

// ggml q8_0 reference: per block of 32, d = amax/127 stored as fp16, q = round(x/d).
std::vector<float> q8Reference(const at::Tensor& w) {
    at::Tensor x = w.to(at::kFloat).contiguous().view({-1, 32});
    std::vector<float> out;
    for (int64_t b = 0; b < x.size(0); ++b) {
        at::Tensor row = x[b];
        const float amax = row.abs().max().item<float>();
        const float d = amax / 127.0f;
        const float dh = at::Half(d);
        const float id = d ? 1.0f / d : 0.0f;
        for (int64_t i = 0; i < 32; ++i)
            out.push_back(std::round(row[i].item<float>() * id) * dh);
    }
    return out;
}

} // namespace

class TstApplyEval : public QObject {
    Q_OBJECT
  private slots:
    void fitPrecisionFallbacks() {
        std::string note;
        QCOMPARE((exporting::fitPrecision(quant::Precision::parse("q4_k"), {8, 256}, &note).name()),
                 std::string("q4_k"));
        QVERIFY(note.empty());
        // llama-quantize's fallback: q4_k -> q5_0 (then f16)
        QCOMPARE((exporting::fitPrecision(quant::Precision::parse("q4_k"), {8, 64}, &note).name()),
                 std::string("q5_0"));
        QVERIFY(note.find("64") != std::string::npos);
        QCOMPARE((exporting::fitPrecision(quant::Precision::parse("q4_k"), {8, 48}).name()),
                 std::string("f16"));
        QCOMPARE((exporting::fitPrecision(quant::Precision::parse("q8_0"), {3, 40}).name()),
                 std::string("f16"));
        QCOMPARE((exporting::fitPrecision(quant::Precision::parse("int4_g128"), {3, 40}).name()),
                 std::string("int4_g128"));
    }

    void applyMatchesReferenceAndRestores() {
        QTemporaryDir tmp;
        auto model = models::loadModel(makeModel(tmp, "llama"));
        std::vector<at::Tensor> before;
        for (const auto& p : model->parameters())
            before.push_back(p.tensor.detach().clone());
        exporting::PolicyApplier applier(*model);
        const auto plan = applier.apply(allAt("q8_0"));
        QCOMPARE(plan.size(), model->parameters().size());
        const int qi = model->parameterIndex("model.layers.1.self_attn.q_proj.weight");
        QVERIFY(qi >= 0);
        const std::vector<float> ref = q8Reference(before[qi]);
        // Streamed: the forward pass's weight is decoded per use; the parameter itself stays.
        at::Tensor got = model->computeWeight(qi).detach().contiguous().view(-1);
        QVERIFY(at::equal(applier.effectiveWeight(qi).view(-1), got));
        QVERIFY(at::equal(model->parameters()[qi].tensor, before[qi]));
        QCOMPARE(int64_t(ref.size()), got.numel());
        int64_t mismatches = 0;
        for (int64_t i = 0; i < got.numel(); ++i)
            mismatches += ref[i] != got[i].item<float>();
        QCOMPARE(mismatches, int64_t(0));
        QVERIFY(!at::equal(got.view_as(before[qi]), before[qi]));
        // norms are f32 in this policy: untouched
        const int ni = model->parameterIndex("model.norm.weight");
        QVERIFY(at::equal(model->computeWeight(ni), before[ni]));
        applier.restore();
        QVERIFY(at::equal(model->computeWeight(qi), before[qi]));
        for (std::size_t i = 0; i < before.size(); ++i)
            QVERIFY(at::equal(model->parameters()[i].tensor, before[i]));
    }

    void chunksAndPercentiles() {
        std::vector<int32_t> toks(23);
        for (int i = 0; i < 23; ++i)
            toks[i] = 100 + i;
        auto chunks = eval::makeChunks(toks, {8, 0, 1});
        QCOMPARE(chunks.size(), std::size_t(2)); // 23 / 8, the tail dropped
        QCOMPARE(chunks[1][0], int64_t(1));      // BOS replaces the first token
        QCOMPARE(chunks[1][1], int64_t(109));
        QCOMPARE((eval::makeChunks(toks, {8, 1, -1}).size()), std::size_t(1));
        QCOMPARE((eval::makeChunks(toks, {8, 0, -1})[0][0]), int64_t(100));
        QVERIFY_THROWS_EXCEPTION(Error, eval::makeChunks(toks, {24, 0, -1}));
        QCOMPARE(eval::scoredPerChunk(8), int64_t(3)); // positions 4, 5, 6
        QCOMPARE((eval::percentile({4, 1, 3, 2}, 0.5)), 2.5);
        QCOMPARE((eval::percentile({4, 1, 3, 2}, 1.0)), 4.0);
        QCOMPARE((eval::percentile({0, 10}, 0.99)), 9.9);
    }

    void perplexityAgainstDirectComputation() {
        QTemporaryDir tmp;
        auto model = models::loadModel(makeModel(tmp, "llama"));
        std::vector<int32_t> toks;
        for (int i = 0; i < 40; ++i)
            toks.push_back((i * 37 + 11) % int(model->config().vocabSize));
        const auto chunks = eval::makeChunks(toks, {16, 0, -1});
        const auto ref = eval::ReferenceLogProbs::compute(*model, chunks);
        const auto self = eval::evaluateAgainst(*model, chunks, ref);
        const auto base = eval::referenceMetrics(chunks, ref);
        // reference computation: full log-softmax, positions 8..14 predict 9..15
        double nll = 0;
        int n = 0;
        for (const auto& c : chunks) {
            at::NoGradGuard g;
            at::Tensor ids = at::tensor(c, at::kLong).view({1, -1});
            at::Tensor lp = at::log_softmax(model->logits(ids)[0].to(at::kDouble), -1);
            for (int j = 8; j <= 14; ++j, ++n)
                nll -= lp[j][c[j + 1]].item<double>();
        }
        QCOMPARE(self.tokens, int64_t(n));
        QVERIFY(std::abs(self.ppl - std::exp(nll / n)) < 1e-4 * self.ppl);
        QCOMPARE(base.kldMean, 0.0);
        QCOMPARE(base.kldMax, 0.0);
        QCOMPARE(base.sameTop1, 1.0);
        QCOMPARE(base.meanDeltaP, 0.0);
        QVERIFY(self.kldMax < 1e-6);
        QCOMPARE(self.sameTop1, 1.0);
        QVERIFY(std::abs(base.ppl - self.ppl) < 1e-4 * self.ppl);
    }

    void gsm8kExtraction() {
        using eval::extractAnswer;
        QCOMPARE(*extractAnswer(" 3 + 4 = 7. Answer: 7\n"), std::string("7"));
        QCOMPARE(*extractAnswer(" costs $1,250.50 in all. Answer: $1,250.50"),
                 std::string("1250.5"));
        QCOMPARE(*extractAnswer(" first 12 then 30 apples"), std::string("30"));
        QCOMPARE(*extractAnswer(" Answer: 18.00\nQ: next question 99"), std::string("18"));
        QCOMPARE(*extractAnswer(" it is -5 degrees"), std::string("-5"));
        QVERIFY(!extractAnswer(" no numbers here").has_value());
        QCOMPARE(*eval::goldAnswer("She has 16 - 3 - 4 = 9 eggs.\n#### 18"), std::string("18"));
        QCOMPARE(*eval::goldAnswer("...\n#### 1,000"), std::string("1000"));
        QVERIFY(!eval::goldAnswer("no marker 5").has_value());
        QCOMPARE(*eval::normalizeNumber("007"), std::string("7"));
        QVERIFY(!eval::normalizeNumber("1.2.3").has_value());
        // the prompt has four worked examples in the study's form
        const std::string& fs = eval::gsm8kFewShot();
        int qs = 0, answers = 0;
        for (std::size_t p = 0; (p = fs.find("Q: ", p)) != std::string::npos; ++p)
            ++qs;
        for (std::size_t p = 0; (p = fs.find("Answer: ", p)) != std::string::npos; ++p)
            ++answers;
        QCOMPARE(qs, 4);
        QCOMPARE(answers, 4);
        QVERIFY(eval::gsm8kPrompt("What is 2+2?").size() > fs.size());
    }

    void gsm8kPipelineOnTinyModel() {
        TQ_REQUIRE_FIXTURE("data/gsm8k/test.jsonl");
        QTemporaryDir tmp;
        const std::string dir = makeModel(tmp, "llama");
        auto model = models::loadModel(dir);
        auto tok = tokenize::loadTokenizer(dir);
        const auto problems = eval::readGsm8k(tqtest::fixture("data/gsm8k/test.jsonl"), 3);
        QCOMPARE(problems.size(), std::size_t(3));
        const auto r = eval::evaluateGsm8k(*model, *tok, problems, 6);
        QCOMPARE(r.total, int64_t(3));
        QCOMPARE(r.records.size(), std::size_t(3));
        int64_t correct = 0;
        for (const auto& rec : r.records) {
            QVERIFY(rec.gold.has_value()); // every GSM8K answer has "#### N"
            QCOMPARE(rec.correct, rec.predicted.has_value() && *rec.predicted == *rec.gold);
            correct += rec.correct;
        }
        QCOMPARE(r.correct, correct);
        // the first test problem's gold answer (Janet's ducks) is 18
        QCOMPARE(*r.records[0].gold, std::string("18"));
    }

    void stories260kTable() {
        TQ_REQUIRE_FIXTURE("models/stories260K");
        TQ_REQUIRE_FIXTURE("data/wikitext2/wiki.test.raw");
        const std::string dir = tqtest::fixture("models/stories260K");
        auto model = models::loadModel(dir);
        auto tok = tokenize::loadTokenizer(dir);
        const auto paras =
            data::readWikiTextParagraphs(tqtest::fixture("data/wikitext2/wiki.test.raw"));
        std::string text;
        for (std::size_t i = 0; i < paras.size() && text.size() < 20000; ++i)
            text += paras[i];
        eval::ComparisonOptions opts;
        opts.chunks = {128, 8, tok->bosId()};
        const auto rows =
            eval::comparePolicies(*model, tok->encode(text, false),
                                  {{"q8_0", allAt("q8_0")}, {"q4_0", allAt("q4_0")}}, opts);
        QCOMPARE(rows.size(), std::size_t(3));
        QVERIFY(rows[0].baseline);
        QCOMPARE(rows[0].metrics.kldMean, 0.0);
        QCOMPARE(rows[0].metrics.sameTop1, 1.0);
        QVERIFY(rows[1].metrics.kldMean > 0);
        QVERIFY2(rows[2].metrics.kldMean > rows[1].metrics.kldMean,
                 eval::formatComparisonTable(rows).c_str());
        QVERIFY(rows[2].metrics.sameTop1 < rows[1].metrics.sameTop1);
        QVERIFY(rows[2].bytes < rows[1].bytes);
        const std::string table = eval::formatComparisonTable(rows);
        QVERIFY(table.find("baseline") != std::string::npos);
        qInfo("%s", table.c_str());
        // the model is restored after the comparison
        auto fresh = models::loadModel(dir);
        for (std::size_t i = 0; i < fresh->parameters().size(); ++i)
            QVERIFY(at::equal(fresh->parameters()[i].tensor, model->parameters()[i].tensor));
    }
};

QTEST_APPLESS_MAIN(TstApplyEval)
#include "tst_apply_eval.moc"
