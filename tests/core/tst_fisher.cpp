// Fisher: batched exact mode equals the study's loop, clipping on a hand-computed case, shards
// merge to the unsharded map, skipped samples, cancellation.
#include <ATen/ATen.h>
#include <QtTest/QtTest>
#include <cmath>
#include <numeric>

#include "core/data/dataset_spec.h"
#include "core/data/load_texts.h"
#include "core/data/sampling.h"
#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/sensitivity/fisher.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::sensitivity;

namespace {
std::vector<std::vector<int64_t>> randomSamples(int n, int64_t vocab, uint64_t seed) {
    std::vector<std::vector<int64_t>> out;
    uint64_t s = seed;
    auto next = [&] {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return s >> 33;
    };
    for (int i = 0; i < n; ++i) {
        std::vector<int64_t> v(3 + next() % 14);
        for (auto& x : v)
            x = static_cast<int64_t>(next() % static_cast<uint64_t>(vocab));
        out.push_back(v);
    }
    return out;
}
std::unique_ptr<models::CausalLM> synthetic(QTemporaryDir& dir, const std::string& preset) {
    models::SyntheticSpec s;
    s.preset = preset;
    s.seed = 11;
    const auto path = dir.filePath(QString::fromStdString(preset)).toStdString();
    models::writeSyntheticModel(path, s);
    return models::loadModel(path);
}
} // namespace

class TstFisher : public QObject {
    Q_OBJECT
  private slots:
    void batchedEqualsLoop_data() {
        QTest::addColumn<QString>("preset");
        for (const auto& p : models::syntheticPresets())
            QTest::newRow(p.c_str()) << QString::fromStdString(p);
    }
    void batchedEqualsLoop() {
        QFETCH(QString, preset);
        QTemporaryDir dir;
        auto model = synthetic(dir, preset.toStdString());
        auto samples = randomSamples(10, model->config().vocabSize, 5);
        FisherOptions o;
        o.clipSamples = 4;
        o.clipPercentile = 90.0;
        o.batchSize = 4;
        auto batched = computeFisher(*model, samples, o);
        o.exactLoop = true;
        auto loop = computeFisher(*model, samples, o);
        QVERIFY(loop.provenance().clipThreshold.has_value());
        QVERIFY(loop.provenance().clipRate > 0);
        QCOMPARE(batched.provenance().clipRate, loop.provenance().clipRate);
        tqtest::verifySameScores(batched, loop, 1e-4);
        // Every weight tensor is scored (no biases), with a positive score.
        for (const auto& e : loop.entries()) {
            QVERIFY(e.name.size() > 7 && e.name.compare(e.name.size() - 7, 7, ".weight") == 0);
            QVERIFY2(e.score > 0, e.name.c_str());
        }
    }

    void automaticBatchOnCpuKeepsAbout768Tokens() {
        QTemporaryDir dir;
        auto model = synthetic(dir, "llama");
        QCOMPARE(automaticBatchSize(*model, 330), int64_t(2));     // long samples: at least 2
        QCOMPARE(automaticBatchSize(*model, 32), int64_t(24));     // short ones: 768 / 32
        QCOMPARE(automaticBatchSize(*model, 4), int64_t(64));      // never more than 64
        QCOMPARE(automaticBatchSize(*model, 1 << 20), int64_t(1)); // memory first
    }

    void loopMatchesDefinitionWithoutClipping() {
        // The study's definition computed directly with autograd, sample by sample.
        QTemporaryDir dir;
        auto model = synthetic(dir, "llama");
        auto samples = randomSamples(3, model->config().vocabSize, 9);
        FisherOptions o;
        o.clipPercentile.reset();
        auto map = computeFisher(*model, samples, o);
        std::map<std::string, double> expect;
        model->setRequiresGrad(true);
        for (const auto& s : samples) {
            model->zeroGrad();
            model->perSampleLoss(at::tensor(s, at::kLong).view({1, -1})).sum().backward();
            for (const auto& p : model->parameters())
                expect[p.name] +=
                    p.tensor.grad().pow(2).sum().item<double>() / p.tensor.numel() / 3.0;
        }
        model->setRequiresGrad(false);
        for (const auto& e : map.entries())
            QVERIFY(std::abs(e.score - expect[e.name]) <= 1e-4 * expect[e.name]);
        QCOMPARE(map.provenance().clipThreshold.has_value(), false);
    }

    void clippingHandComputed() {
        // Two tensors (numel 2 and 4), three samples; phase 1 = first two samples.
        // Norms of phase 1: sqrt(1)=1, sqrt(16)=4, sqrt(4)=2, sqrt(9)=3 -> sorted 1,2,3,4;
        // 50th percentile (linear) = 2.5, so contributions are capped at 6.25.
        std::vector<std::vector<double>> sq = {{1, 16}, {4, 9}, {36, 0.25}};
        auto f = foldFisher(sq, {2, 4}, {0, 1, 2}, 2, 50.0);
        QVERIFY(f.threshold.has_value());
        QCOMPARE(*f.threshold, 2.5);
        // tensor 0: 1/2 + 4/2 + 6.25/2 = 5.625; tensor 1: 6.25/4 + 6.25/4 + 0.25/4 = 3.1875
        QCOMPARE(f.sums[0], 5.625);
        QCOMPARE(f.sums[1], 3.1875);
        QCOMPARE(f.clipped, int64_t(3));
        QCOMPARE(f.processed, int64_t(3));
        // A skipped sample is counted, never folded in.
        sq[1].clear();
        f = foldFisher(sq, {2, 4}, {0, 1, 2}, 2, std::nullopt);
        QCOMPARE(f.skipped, int64_t(1));
        QCOMPARE(f.sums[0], 1.0 / 2 + 36.0 / 2);
        QCOMPARE(percentile({3, 1, 2}, 100.0), 3.0);
        QCOMPARE(percentile({10, 20}, 25.0), 12.5);
    }

    void shardsMergeToUnsharded() {
        QTemporaryDir dir;
        auto model = synthetic(dir, "qwen2");
        auto samples = randomSamples(11, model->config().vocabSize, 21);
        FisherOptions o;
        o.clipSamples = 5;
        auto whole = computeFisher(*model, samples, o);
        std::vector<SensitivityMap> shards;
        for (int i = 0; i < 3; ++i) {
            o.shardIndex = i;
            o.shardCount = 3;
            shards.push_back(computeFisher(*model, samples, o));
            QCOMPARE(shards.back().provenance().clipThreshold, whole.provenance().clipThreshold);
        }
        auto merged = mergeMaps(shards);
        // Batches differ between the runs, so per-sample norms differ at float rounding only.
        tqtest::verifySameScores(merged, whole, 1e-6);
        QCOMPARE(merged.provenance().samples, whole.provenance().samples);
        QCOMPARE(merged.provenance().tokens, whole.provenance().tokens);
    }

    void shortSamplesAreSkippedAndCounted() {
        QTemporaryDir dir;
        auto model = synthetic(dir, "phi");
        auto samples = randomSamples(4, model->config().vocabSize, 2);
        samples.push_back({7});
        samples.push_back({});
        FisherOptions o;
        o.clipPercentile.reset();
        auto with = computeFisher(*model, samples, o);
        QCOMPARE(with.provenance().skippedSamples, int64_t(2));
        QCOMPARE(with.mergeState()->count, int64_t(4));
        samples.resize(4);
        tqtest::verifySameScores(with, computeFisher(*model, samples, o), 1e-12);
    }

    void cancellationStopsWithoutResult() {
        QTemporaryDir dir;
        auto model = synthetic(dir, "llama");
        auto samples = randomSamples(12, model->config().vocabSize, 4);
        CancelToken cancel;
        int reports = 0;
        JobControl job{[&](const ProgressInfo&) {
                           if (++reports == 1)
                               cancel.cancel();
                       },
                       &cancel};
        FisherOptions o;
        o.batchSize = 2;
        QVERIFY_EXCEPTION_THROWN(computeFisher(*model, samples, o, job), Cancelled);
        QCOMPARE(reports, 1);
    }

    // A cancel inside sampleGradientNorms (loop and batched) leaves no parameter requiring
    // gradients and, for the loop, no gradient behind. The batched run never switches
    // requires_grad on (activation gradients only); the loop does while it runs.
    void cancellationSwitchesRequiresGradOffAgain_data() {
        QTest::addColumn<bool>("exactLoop");
        QTest::newRow("batched") << false;
        QTest::newRow("loop") << true;
    }
    void cancellationSwitchesRequiresGradOffAgain() {
        QFETCH(bool, exactLoop);
        QTemporaryDir dir;
        auto model = synthetic(dir, "llama");
        auto samples = randomSamples(12, model->config().vocabSize, 5);
        std::vector<std::size_t> which(samples.size());
        std::iota(which.begin(), which.end(), std::size_t(0));
        CancelToken cancel;
        int reports = 0;
        bool requiredDuringRun = false;
        JobControl job{[&](const ProgressInfo&) {
                           if (++reports == 2) {
                               for (const auto& p : model->parameters())
                                   requiredDuringRun =
                                       requiredDuringRun || p.tensor.requires_grad();
                               cancel.cancel();
                           }
                       },
                       &cancel};
        QVERIFY_EXCEPTION_THROWN(sampleGradientNorms(*model, samples, which, exactLoop, 2, job),
                                 Cancelled);
        QCOMPARE(reports, 2);
        QCOMPARE(requiredDuringRun, exactLoop); // the loop needs weight gradients, batched not
        for (const auto& p : model->parameters()) {
            QVERIFY2(!p.tensor.requires_grad(), p.name.c_str());
            QVERIFY2(!p.tensor.grad().defined(), p.name.c_str());
        }
    }

    void stories260KGsm8kBatchedEqualsLoop() {
        TQ_REQUIRE_FIXTURE("models/stories260K/model.safetensors");
        TQ_REQUIRE_FIXTURE("data/gsm8k/train.jsonl");
        const auto dir = tqtest::fixture("models/stories260K");
        auto texts = data::sampleTexts(data::loadTexts(data::makeDatasetSpec(
                                           "gsm8k", tqtest::fixture("data/gsm8k/train.jsonl"))),
                                       16, 0);
        auto tok = tokenize::loadTokenizer(dir);
        std::vector<std::vector<int64_t>> samples;
        for (const auto& t : texts) {
            auto ids = tok->encode(t, true);
            QCOMPARE(ids.front(), 1); // BOS
            samples.emplace_back(ids.begin(), ids.end());
        }
        auto model = models::loadModel(dir);
        FisherOptions o; // defaults: clip at the 99th percentile of the first 32 samples
        auto batched = computeFisher(*model, samples, o);
        o.exactLoop = true;
        auto loop = computeFisher(*model, samples, o);
        QCOMPARE(loop.size(), std::size_t(47)); // 5 layers x 9 weights + embeddings + final norm
        QVERIFY(loop.provenance().clipRate > 0);
        tqtest::verifySameScores(batched, loop, 1e-4);
    }

    void badOptionsAreRejected() {
        QTemporaryDir dir;
        auto model = synthetic(dir, "llama");
        FisherOptions o;
        QVERIFY_EXCEPTION_THROWN(computeFisher(*model, {}, o), Error);
        o.shardIndex = 3;
        o.shardCount = 3;
        QVERIFY_EXCEPTION_THROWN(computeFisher(*model, {{1, 2, 3}}, o), Error);
    }
};

QTEST_APPLESS_MAIN(TstFisher)
#include "tst_fisher.moc"
