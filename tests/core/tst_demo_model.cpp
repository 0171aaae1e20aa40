// The committed demo model (resources/demo-model) is what `taskquant train-demo` describes: its
// config is the tool's default, every linear dimension divides 256 so every llama.cpp mix applies
// without a fallback, its F16 weights load through the ordinary model path, its tokenizer
// round-trips, it has learned the tasks, and its two task maps are valid and differ.
#include <QtTest/QtTest>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/data/synthetic_tasks.h"
#include "core/demo/demo_evaluation.h"
#include "core/demo/demo_maps.h"
#include "core/demo/demo_model_location.h"
#include "core/demo/demo_trainer.h"
#include "core/demo/rank_correlation.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/models/causal_lm.h"
#include "core/models/model_config.h"
#include "core/models/model_loader.h"
#include "core/policy/recipes.h"
#include "core/tokenize/tokenizer.h"

namespace fs = std::filesystem;
using namespace taskquant;

namespace {
const std::string kDir = std::string(TASKQUANT_SOURCE_DIR) + "/resources/demo-model";

// IEEE 754 binary16 to float, by the definition (sign, 5-bit exponent, 10-bit fraction).
double halfToDouble(uint16_t h) {
    const int sign = h >> 15, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
    double v = exp == 0 ? std::ldexp(frac, -24) : std::ldexp(1024 + frac, exp - 25);
    if (exp == 31)
        v = frac ? NAN : INFINITY;
    return sign ? -v : v;
}
} // namespace

class TestDemoModel : public QObject {
    Q_OBJECT
  private slots:
    void filesArePresentAndSmall() {
        std::uintmax_t total = 0;
        for (const char* f :
             {"config.json", "model.safetensors", "tokenizer.model", "tokenizer_config.json",
              "generation_config.json", "training_report.json"}) {
            QVERIFY2(fs::is_regular_file(kDir + "/" + f), f);
            total += fs::file_size(kDir + "/" + f);
        }
        for (const auto& e : fs::directory_iterator(kDir))
            QVERIFY(e.is_regular_file());
        QVERIFY2(total <= 16u * 1000 * 1000, qPrintable(QString::number(total)));
    }

    void configIsTheToolDefault() {
        const demo::DemoTrainingSettings defaults;
        const auto committed = models::ModelConfig::fromFile(kDir + "/config.json");
        QCOMPARE(committed.toJson().dump(), demo::demoModelConfig(defaults).toJson().dump());
        const auto report = io::readJsonFile(kDir + "/training_report.json");
        QCOMPARE(report.at("settings").dump(), defaults.toJson().dump());
        QCOMPARE(report.at("steps").get<int64_t>(), defaults.steps);
        const auto gen = io::readJsonFile(kDir + "/generation_config.json");
        QCOMPARE(gen.at("eos_token_id").get<int64_t>(), committed.eosTokenId);
    }

    void everyLlamaCppMixApplies() {
        const auto c = models::ModelConfig::fromFile(kDir + "/config.json");
        for (int64_t d : {c.hiddenSize, c.intermediateSize, c.numKvHeads * c.headDim,
                          c.numHeads * c.headDim, c.vocabSize})
            QVERIFY2(d % 256 == 0, qPrintable(QString::number(d)));
        QVERIFY(c.numKvHeads * c.headDim >= 256);
        const auto model = policy::recipeModelFromDirectory(kDir);
        int mixes = 0;
        for (const auto& name : policy::recipeNames()) {
            if (name == "F16" || name == "BF16" || name == "F32")
                continue;
            const auto r = policy::applyRecipe(name, model);
            const std::string why = r.notes.empty() ? std::string() : name + ": " + r.notes.front();
            QVERIFY2(r.notes.empty(), why.c_str());
            ++mixes;
        }
        QVERIFY(mixes >= 10);
    }

    void modelLoads() {
        const auto c = models::ModelConfig::fromFile(kDir + "/config.json");
        QCOMPARE(c.modelType, std::string("llama"));
        auto model = models::loadModel(kDir);
        // Llama, untied head: embeddings and head, per layer q,k,v,o + gate,up,down + 2 norms,
        // final norm.
        const int64_t H = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
        QCOMPARE(model->parameterCount(),
                 2 * V * H + c.numLayers * (4 * H * H + 3 * H * I + 2 * H) + H);
        const auto st = io::SafetensorsFile::open(kDir + "/model.safetensors");
        QCOMPARE(st->tensors().size(), model->parameters().size());
        for (const auto& t : st->tensors())
            QVERIFY(t.dtype == io::DType::F16);
        for (const auto& p : model->parameters())
            QVERIFY(at::isfinite(p.tensor).all().item<bool>());
    }

    void tokenizerRoundTrips() {
        const auto tok = tokenize::loadTokenizer(kDir);
        QCOMPARE(tok->kind(), std::string("sentencepiece"));
        const auto c = models::ModelConfig::fromFile(kDir + "/config.json");
        QCOMPARE(int64_t(tok->vocabSize()), c.vocabSize);
        QCOMPARE(int64_t(tok->bosId()), c.bosTokenId);
        QCOMPARE(int64_t(tok->eosId()), c.eosTokenId);
        std::vector<std::string> texts{"Answer: 12345", "naïve café, 数学!\ttab\n\nx^2 - 3y = -7",
                                       "  leading spaces and trailing  "};
        for (auto task : {data::SyntheticTask::Arithmetic, data::SyntheticTask::Algebra,
                          data::SyntheticTask::Stories})
            for (const auto& p : data::generateProblems(task, data::SyntheticSplit::Test, 20, 3))
                texts.push_back(p.text());
        for (const auto& t : texts) {
            const auto ids = tok->encode(t, false);
            QCOMPARE(tok->decode(ids), t);
            const auto withBos = tok->encode(t, true);
            QCOMPARE(withBos.front(), tok->bosId());
        }
        // Digits are single tokens (split_digits): "12345" decodes token by token to digits.
        int digits = 0;
        for (int32_t id : tok->encode("12345", false)) {
            const auto piece = tok->decode({id});
            if (piece.find_first_of("0123456789") != std::string::npos) {
                QCOMPARE(piece.size() - (piece[0] == ' ' ? 1 : 0), std::size_t(1));
                ++digits;
            }
        }
        QCOMPARE(digits, 5);
    }

    void modelHasLearned() {
        const auto tok = tokenize::loadTokenizer(kDir);
        auto model = models::loadModel(kDir);
        std::vector<std::vector<int64_t>> samples;
        for (const auto& p : data::generateProblems(data::SyntheticTask::Arithmetic,
                                                    data::SyntheticSplit::Test, 24, 99))
            samples.push_back(demo::encodeSample(*tok, p.text()));
        const double loss = demo::heldOutLoss(*model, samples, 8);
        // A uniform guess costs ln(V) nats per token; the trained model must do far better.
        QVERIFY2(loss < 0.25 * std::log(double(tok->vocabSize())),
                 qPrintable(QString::number(loss)));
        const auto report = io::readJsonFile(kDir + "/training_report.json");
        const auto& t = report.at("held_out").at("trained");
        const auto& u = report.at("held_out").at("untrained");
        QVERIFY(t.at("loss_arithmetic").get<double>() < u.at("loss_arithmetic").get<double>());
        QVERIFY(t.at("loss_stories").get<double>() < u.at("loss_stories").get<double>());
        // More exact answers than the untrained model on both tasks.
        QVERIFY(t.at("correct_arithmetic_1step").get<int64_t>() >
                u.at("correct_arithmetic_1step").get<int64_t>());
        QVERIFY(t.at("correct_stories").get<int64_t>() > u.at("correct_stories").get<int64_t>());
    }

    // The lookup and facts tasks reach training and the report only when asked for: a tiny
    // training with them lists them, reports their held-out figures, and writes the model; the
    // default settings (those of the committed model) keep the report's old form.
    void trainerTakesTheExtraTasksOnlyWhenAsked() {
        const demo::DemoTrainingSettings defaults;
        QVERIFY(!defaults.toJson().contains("train_lookup"));
        QVERIFY(!defaults.toJson().contains("train_facts"));
        demo::DemoTrainingSettings s;
        s.trainArithmetic = 150;
        s.trainStories = 150;
        s.trainLookup = 150;
        s.trainFacts = 100;
        s.hiddenSize = 32;
        s.numHeads = 2;
        s.intermediateSize = 64;
        s.numLayers = 1;
        s.steps = 2;
        s.batchSize = 4;
        s.warmupSteps = 1;
        s.evalLossSamples = 3;
        s.evalAnswerSamples = 2;
        QCOMPARE(s.toJson().at("train_lookup").get<int64_t>(), int64_t(150));
        QCOMPARE(s.toJson().at("train_facts").get<int64_t>(), int64_t(100));
        QTemporaryDir tmp;
        const std::string out = tmp.filePath("m").toStdString();
        const auto report = demo::trainDemoModel(out, s);
        QCOMPARE(report.at("train_problems").at("lookup").get<int64_t>(), int64_t(150));
        QCOMPARE(report.at("train_problems").at("facts").get<int64_t>(), int64_t(100));
        for (const char* phase : {"trained", "untrained"}) {
            const auto& h = report.at("held_out").at(phase);
            for (const char* k : {"loss_lookup", "loss_facts"}) {
                const double v = h.at(k).get<double>();
                QVERIFY2(std::isfinite(v) && v > 0, k);
            }
            for (const char* k : {"correct_lookup", "correct_facts"}) {
                const auto c = h.at(k).get<int64_t>();
                QVERIFY2(c >= 0 && c <= 2, k);
            }
        }
        QCOMPARE(io::readJsonFile(out + "/training_report.json").at("settings").dump(),
                 s.toJson().dump());
        QVERIFY(fs::is_regular_file(out + "/model.safetensors"));
    }

    void spearmanByHand() {
        // scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233 (ties averaged)
        QVERIFY(std::abs(policy::spearman({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}) - 0.8207826816681233) <
                1e-12);
        QCOMPARE(demo::averageRanks({10, 30, 20, 20}), (std::vector<double>{1, 4, 2.5, 2.5}));
        QCOMPARE(policy::spearman({1, 2, 3}, {3, 2, 1}), -1.0);
        QVERIFY(std::isnan(policy::spearman({1, 1, 1}, {1, 2, 3})));
    }

    void taskMapsAreValidAndDiffer() {
        qputenv("TASKQUANT_DEMO_MODEL", QByteArray::fromStdString(kDir));
        QCOMPARE(demo::findDemoModel(), kDir);
        demo::DemoMapsOptions o;
        o.samples = 6;
        const auto maps = demo::computeDemoMaps(kDir, o);
        auto model = models::loadModel(kDir);
        std::vector<std::string> names;
        for (const auto& p : model->parameters())
            names.push_back(p.name);
        for (const auto* m : {&maps.arithmetic, &maps.stories}) {
            QCOMPARE(m->names(), names);
            QCOMPARE(m->provenance().samples, int64_t(6));
            QCOMPARE(m->provenance().skippedSamples, int64_t(0));
            double total = 0;
            for (const auto& e : m->entries()) {
                QVERIFY(std::isfinite(e.score) && e.score >= 0);
                total += e.score;
            }
            QVERIFY(total > 0);
            // Round trip through the file format is what the GUI reads.
            QTemporaryDir tmp;
            const std::string path = tmp.filePath("m.json").toStdString();
            m->writeFile(path);
            QCOMPARE(sensitivity::SensitivityMap::readFile(path).scores(), m->scores());
        }
        QCOMPARE(maps.arithmetic.provenance().dataset, std::string("synthetic-arithmetic"));
        QCOMPARE(maps.stories.provenance().dataset, std::string("synthetic-stories"));
        // The tasks weigh the tensors differently: some tensor's share of the total differs by 5 %.
        const auto a = maps.arithmetic.scores(), b = maps.stories.scores();
        double sa = 0, sb = 0, maxRel = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            sa += a[i], sb += b[i];
        for (std::size_t i = 0; i < a.size(); ++i)
            maxRel =
                std::max(maxRel, std::abs(a[i] / sa - b[i] / sb) / std::max(a[i] / sa, b[i] / sb));
        QVERIFY2(maxRel > 0.05, qPrintable(QString::number(maxRel)));
        // Magnitude map: the squared L2 norm of one tensor, recomputed from the file.
        const auto st = io::SafetensorsFile::open(kDir + "/model.safetensors");
        const auto* info = st->find("model.layers.0.mlp.down_proj.weight");
        QVERIFY(info);
        QVERIFY(info->dtype == io::DType::F16);
        const auto* w = reinterpret_cast<const uint8_t*>(st->data(*info));
        double sq = 0;
        for (int64_t i = 0; i < info->numel(); ++i) {
            const double v =
                halfToDouble(uint16_t(w[2 * i] | (w[2 * i + 1] << 8))); // little endian
            sq += v * v;
        }
        const auto* e = maps.magnitude.find("model.layers.0.mlp.down_proj.weight");
        QVERIFY(e);
        QVERIFY(std::abs(e->score - sq) <= 1e-5 * sq);
    }
};

QTEST_APPLESS_MAIN(TestDemoModel)
#include "tst_demo_model.moc"
