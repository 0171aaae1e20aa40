// Forward/backward of every architecture on generated models, padding invariance, GQA, rotary
// formulas, bf16, KV-cache generation, loader errors.
#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <QtTest/QtTest>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/jobs/runtime.h"
#include "core/models/layers.h"
#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/util/error.h"
#include "core/util/memory.h"
#include "tests/common/fixtures.h"

using namespace taskquant;
using namespace taskquant::models;

namespace {
std::string makeModel(QTemporaryDir& dir, const std::string& preset, int64_t layers = 2) {
    SyntheticSpec s;
    s.preset = preset;
    s.numLayers = layers;
    s.seed = 7;
    std::string path = dir.filePath(QString::fromStdString(preset)).toStdString();
    writeSyntheticModel(path, s);
    return path;
}
double maxRelDiff(const at::Tensor& a, const at::Tensor& b) {
    auto d = (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
    return d / std::max(1e-12, b.to(at::kDouble).abs().max().item<double>());
}
at::Tensor randomIds(int64_t n, int64_t vocab, uint64_t seed) {
    std::vector<int64_t> v(n);
    uint64_t s = seed;
    for (auto& x : v) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        x = static_cast<int64_t>((s >> 33) % static_cast<uint64_t>(vocab));
    }
    return at::tensor(v, at::kLong);
}
// A field of /proc/self/status in kB ("RssFile", "RssAnon"); -1 where it cannot be read.
int64_t statusKb(const char* field) {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').front().toLongLong();
    return -1;
}

std::string expectError(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}
} // namespace

class TstModels : public QObject {
    Q_OBJECT
  private slots:
    void forwardBackwardEveryArchitecture_data() {
        QTest::addColumn<QString>("preset");
        for (const auto& p : syntheticPresets())
            QTest::newRow(p.c_str()) << QString::fromStdString(p);
    }
    void forwardBackwardEveryArchitecture() {
        QFETCH(QString, preset);
        QTemporaryDir dir;
        auto model = loadModel(makeModel(dir, preset.toStdString()));
        QCOMPARE(model->config().modelType,
                 preset == "llama3" ? std::string("llama") : preset.toStdString());
        model->setRequiresGrad(true);
        auto ids = randomIds(24, model->config().vocabSize, 3).view({2, 12});
        auto loss = model->perSampleLoss(ids);
        QCOMPARE(loss.size(0), 2);
        QVERIFY(at::isfinite(loss).all().item<bool>());
        // Random weights: the loss is near ln(vocab), never zero.
        QVERIFY(loss.min().item<float>() > 1.0f);
        loss.sum().backward();
        for (const auto& p : model->parameters()) {
            QVERIFY2(p.tensor.grad().defined(), p.name.c_str());
            QVERIFY2(at::isfinite(p.tensor.grad()).all().item<bool>(), p.name.c_str());
            QVERIFY2(p.tensor.grad().abs().sum().item<double>() > 0, p.name.c_str());
        }
    }

    void parameterNamesFollowHuggingFace() {
        QTemporaryDir dir;
        auto phi = loadModel(makeModel(dir, "phi"));
        QVERIFY(phi->parameterIndex("model.layers.1.self_attn.dense.weight") >= 0);
        QVERIFY(phi->parameterIndex("model.layers.0.mlp.fc1.bias") >= 0);
        QVERIFY(phi->parameterIndex("model.final_layernorm.bias") >= 0);
        QVERIFY(phi->parameterIndex("lm_head.bias") >= 0);
        auto qwen = loadModel(makeModel(dir, "qwen2"));
        QVERIFY(qwen->parameterIndex("model.layers.0.self_attn.k_proj.bias") >= 0);
        QCOMPARE(qwen->parameterIndex("model.layers.0.self_attn.o_proj.bias"), -1);
        // Tied embeddings: no separate lm_head parameter, as transformers' named_parameters.
        QCOMPARE(qwen->parameterIndex("lm_head.weight"), -1);
        auto llama = loadModel(makeModel(dir, "llama"));
        QVERIFY(llama->parameterIndex("lm_head.weight") >= 0);
        QCOMPARE(llama->config().numKvHeads, llama->config().numHeads);
    }

    void paddedBatchEqualsOneByOne_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("leftPadding");
        for (const char* p : {"llama3", "phi", "qwen2", "mistral"}) {
            QTest::newRow((std::string(p) + "-right").c_str()) << QString(p) << false;
            QTest::newRow((std::string(p) + "-left").c_str()) << QString(p) << true;
        }
    }
    void paddedBatchEqualsOneByOne() {
        QFETCH(QString, preset);
        QFETCH(bool, leftPadding);
        QTemporaryDir dir;
        auto model = loadModel(makeModel(dir, preset.toStdString()));
        at::NoGradGuard ng;
        const int64_t V = model->config().vocabSize;
        std::vector<at::Tensor> samples = {randomIds(9, V, 1), randomIds(5, V, 2),
                                           randomIds(2, V, 3)};
        const int64_t T = 9;
        auto ids = at::zeros({3, T}, at::kLong);
        auto mask = at::zeros({3, T}, at::kLong);
        for (int64_t b = 0; b < 3; ++b) {
            const int64_t n = samples[b].size(0), off = leftPadding ? T - n : 0;
            ids[b].narrow(0, off, n).copy_(samples[b]);
            mask[b].narrow(0, off, n).fill_(1);
        }
        auto batched = model->logits(ids, mask);
        auto losses = model->perSampleLoss(ids, mask);
        for (int64_t b = 0; b < 3; ++b) {
            const int64_t n = samples[b].size(0), off = leftPadding ? T - n : 0;
            auto single = model->logits(samples[b].view({1, -1}));
            QVERIFY(maxRelDiff(batched[b].narrow(0, off, n), single[0]) < 1e-5);
            auto singleLoss = model->perSampleLoss(samples[b].view({1, -1}));
            QVERIFY(std::abs(losses[b].item<double>() - singleLoss[0].item<double>()) < 1e-5);
        }
    }

    void groupedQueryAttentionMatchesPerHeadReference() {
        // 6 query heads sharing 2 key/value heads: head h uses kv head h / 3.
        auto gen = at::detail::createCPUGenerator(1);
        auto q = at::randn({2, 6, 5, 4}, gen), k = at::randn({2, 2, 5, 4}, gen),
             v = at::randn({2, 2, 5, 4}, gen);
        auto allowed = at::ones({5, 5}, at::kBool).tril().view({1, 1, 5, 5}).expand({2, 1, 5, 5});
        auto out = attention(q, k, v, allowed).view({2, 5, 6, 4});
        for (int64_t h = 0; h < 6; ++h) {
            auto kh = k.select(1, h / 3), vh = v.select(1, h / 3), qh = q.select(1, h);
            auto s = at::matmul(qh, kh.transpose(-1, -2)) / 2.0; // sqrt(4)
            s = s.masked_fill(at::ones({5, 5}, at::kBool).triu(1), -INFINITY);
            auto ref = at::matmul(at::softmax(s, -1), vh); // [2, 5, 4]
            QVERIFY(maxRelDiff(out.select(2, h), ref) < 1e-6);
        }
    }

    void llama3RopeScalingMatchesFormula() {
        ModelConfig c;
        c.ropeTheta = 500000.0;
        c.ropeScaling = {"llama3", 8.0, 1.0, 4.0, 8192};
        const int64_t dim = 64;
        auto inv = rotaryInverseFrequencies(c, dim);
        int low = 0, mid = 0, high = 0;
        for (int64_t i = 0; i < dim / 2; ++i) {
            const double f = 1.0 / std::pow(500000.0, double(2 * i) / dim);
            const double wavelen = 2 * M_PI / f;
            double expect;
            if (wavelen < 8192.0 / 4.0) {
                expect = f, ++high;
            } else if (wavelen > 8192.0 / 1.0) {
                expect = f / 8.0, ++low;
            } else {
                const double smooth = (8192.0 / wavelen - 1.0) / (4.0 - 1.0);
                expect = (1 - smooth) * f / 8.0 + smooth * f, ++mid;
            }
            QVERIFY2(std::abs(inv[i].item<double>() - expect) <= 1e-6 * expect,
                     qPrintable(QString::number(i)));
        }
        QVERIFY(low > 0 && mid > 0 && high > 0); // all three bands exercised
    }

    void phiPartialRotaryLeavesTailUnrotated() {
        ModelConfig c;
        c.ropeTheta = 10000.0;
        const int64_t headDim = 10, rot = 4; // partial_rotary_factor 0.4
        auto inv = rotaryInverseFrequencies(c, rot);
        auto pos = at::arange(0, 3, at::kLong).view({1, 3});
        auto [cos, sin] = rotaryTables(inv, pos, at::kFloat);
        auto x = at::randn({1, 2, 3, headDim}, at::detail::createCPUGenerator(5));
        auto y = applyRotary(x, cos, sin);
        QVERIFY(at::equal(y.narrow(-1, rot, headDim - rot), x.narrow(-1, rot, headDim - rot)));
        // Rotated part: pairs (i, i + rot/2) rotate by angle pos * theta^(-2i/rot).
        for (int64_t t = 0; t < 3; ++t)
            for (int64_t i = 0; i < rot / 2; ++i) {
                const double ang = t * std::pow(10000.0, -2.0 * i / rot);
                for (int64_t h = 0; h < 2; ++h) {
                    const double a = x[0][h][t][i].item<double>(),
                                 b = x[0][h][t][i + rot / 2].item<double>();
                    QVERIFY(std::abs(y[0][h][t][i].item<double>() -
                                     (a * std::cos(ang) - b * std::sin(ang))) < 1e-5);
                    QVERIFY(std::abs(y[0][h][t][i + rot / 2].item<double>() -
                                     (b * std::cos(ang) + a * std::sin(ang))) < 1e-5);
                }
            }
    }

    void bf16OnCpuTracksFp32() {
        QTemporaryDir dir;
        const auto path = makeModel(dir, "llama3");
        auto f32 = loadModel(path);
        auto b16 = loadModel(path, {"cpu", "bf16"});
        QCOMPARE(b16->dtype(), at::kBFloat16);
        QCOMPARE(b16->parameters()[0].tensor.scalar_type(), at::kBFloat16);
        at::NoGradGuard ng;
        auto ids = randomIds(16, f32->config().vocabSize, 9).view({2, 8});
        auto l32 = f32->perSampleLoss(ids), l16 = b16->perSampleLoss(ids);
        QVERIFY(at::isfinite(l16).all().item<bool>());
        QVERIFY(maxRelDiff(l16, l32) < 2e-2);
        QVERIFY(maxRelDiff(b16->logits(ids).to(at::kFloat), f32->logits(ids)) < 5e-2);
    }

    // The forward pass in segments (embed, layer ranges, head) gives the whole pass's logits, on
    // every architecture (sliding window and parallel blocks included); a bad range is an error.
    void segmentedForwardEqualsWhole_data() { forwardBackwardEveryArchitecture_data(); }
    void segmentedForwardEqualsWhole() {
        QFETCH(QString, preset);
        QTemporaryDir dir;
        auto model = loadModel(makeModel(dir, preset.toStdString(), 3));
        at::NoGradGuard ng;
        auto ids = randomIds(40, model->config().vocabSize, 5).view({2, 20});
        const at::Tensor whole = model->logits(ids);
        const auto seg = model->segments(ids);
        at::Tensor h = model->embed(ids);
        h = model->layers(h, seg, 0, 1);
        h = model->layers(h, seg, 1, 3);
        const at::Tensor split = model->head(h);
        QCOMPARE(split.sizes(), whole.sizes());
        QVERIFY2(maxRelDiff(split, whole) <= 1e-6,
                 qPrintable(QString::number(maxRelDiff(split, whole))));
        QVERIFY(!expectError([&] { model->layers(h, seg, 2, 4); }).empty());
        QVERIFY(!expectError([&] {
                     model->embed(at::full({1, 2}, model->config().vocabSize, at::kLong));
                 }).empty());
    }

    // Released mapped weights leave resident memory (the process's RssFile falls) and come back
    // from the file unchanged at their next use; copied parameters are left alone.
    void releasedPagesLeaveMemoryAndComeBack() {
        QTemporaryDir dir;
        SyntheticSpec s;
        s.preset = "llama";
        s.hiddenSize = 256;
        s.numLayers = 4;
        s.dtype = "bf16"; // held as stored (mapped) for fp32 compute
        s.seed = 9;
        const std::string path = dir.filePath("m").toStdString();
        writeSyntheticModel(path, s);
        LoadOptions lo;
        lo.releasePages = 1;
        auto model = ModelLoader::load(path, lo);
        QVERIFY(model->releasesPages());
        uint64_t mapped = 0;
        for (const auto& p : model->parameters())
            if (p.mapped)
                mapped += p.tensor.nbytes();
        QVERIFY(mapped > (uint64_t(4) << 20));
        auto rssFile = [] { return statusKb("RssFile"); }; // kB of file pages resident
        at::NoGradGuard ng;
        const auto ids = randomIds(32, model->config().vocabSize, 2).view({1, 32});
        const at::Tensor before = model->logits(ids);
        const int64_t resident = rssFile();
        if (resident < 0)
            QSKIP("no /proc/self/status RssFile here");
        bool advised = true; // the kernel takes MADV_PAGEOUT (Linux 5.4 or later)
        for (const auto& p : model->parameters())
            if (p.mapped && p.tensor.nbytes() > (uint64_t(64) << 10)) {
                advised = pageOut(p.tensor.data_ptr(), p.tensor.nbytes());
                break;
            }
        for (int i = 0; i < int(model->parameters().size()); ++i)
            model->releasePages(i);
        const int64_t after = rssFile();
        if (!advised || resident - after <= 0)
            QSKIP("the kernel does not page out here (MADV_PAGEOUT, Linux 5.4)");
        QVERIFY2(double(resident - after) * 1024 >= 0.5 * double(mapped),
                 qPrintable(QString("RssFile %1 -> %2 kB, %3 bytes mapped")
                                .arg(resident)
                                .arg(after)
                                .arg(mapped)));
        QVERIFY(at::equal(model->logits(ids), before));
        // off: nothing is released
        model->setReleasePages(false);
        const int64_t back = rssFile();
        for (int i = 0; i < int(model->parameters().size()); ++i)
            model->releasePages(i);
        QVERIFY(rssFile() >= back - 64);
    }

    // The runtime keeps the passes' large temporaries on glibc's heap (configureThreads raises the
    // mmap and trim thresholds), where free memory below a live block stays resident; trimHeap
    // hands it back: 256 MiB freed under a pinned block leave RssAnon only after the trim.
    void trimmedHeapGoesBackToTheKernel() {
#if !defined(__GLIBC__)
        QSKIP("glibc's allocator only");
#else
        configureThreads(0);
        const int64_t start = statusKb("RssAnon");
        if (start < 0)
            QSKIP("no /proc/self/status RssAnon here");
        const std::size_t block = std::size_t(4) << 20;
        std::vector<char*> blocks;
        for (int i = 0; i < 64; ++i) {
            blocks.push_back(static_cast<char*>(std::malloc(block)));
            QVERIFY(blocks.back());
            std::memset(blocks.back(), 1, block);
        }
        char* pin = static_cast<char*>(std::malloc(4096)); // above them: the heap's top stays
        QVERIFY(pin);
        pin[0] = 1;
        const int64_t held = statusKb("RssAnon");
        for (char* b : blocks)
            std::free(b);
        const int64_t freed = statusKb("RssAnon");
        trimHeap();
        const int64_t trimmed = statusKb("RssAnon");
        std::free(pin);
        const QString figures = QString("RssAnon %1 -> held %2 -> freed %3 -> trimmed %4 kB")
                                    .arg(start)
                                    .arg(held)
                                    .arg(freed)
                                    .arg(trimmed);
        QVERIFY2(held - start >= 200 * 1024, qPrintable(figures));
        QVERIFY2(freed >= held - 64 * 1024, qPrintable(figures)); // kept by the heap
        QVERIFY2(freed - trimmed >= 200 * 1024, qPrintable(figures));
#endif
    }

    void cachedGenerationEqualsFullRecompute() {
        QTemporaryDir dir;
        auto model = loadModel(makeModel(dir, "phi"));
        std::vector<int64_t> prompt = {5, 17, 42};
        auto out = model->generate(prompt, 6);
        QCOMPARE(out.size(), std::size_t(6));
        at::NoGradGuard ng;
        std::vector<int64_t> seq = prompt;
        for (int i = 0; i < 6; ++i) {
            auto lg = model->logits(at::tensor(seq, at::kLong).view({1, -1}));
            const int64_t next = lg[0][lg.size(1) - 1].argmax().item<int64_t>();
            QCOMPARE(out[i], next);
            seq.push_back(next);
        }
    }

    void stories260KReproducesReferenceTokens() {
        TQ_REQUIRE_FIXTURE("models/stories260K/model.safetensors");
        auto model = loadModel(tqtest::fixture("models/stories260K"));
        QCOMPARE(model->config().numKvHeads, 4);
        const std::vector<int64_t> expected = {
            403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338,
            401, 396, 267, 337, 410, 408, 419, 292, 411, 322, 265, 282, 295, 433, 426, 385,
            328, 432, 358, 394, 261, 370, 432, 352, 266, 268, 388, 426, 338, 391, 266, 267};
        auto out = model->generate({1}, 48);
        QCOMPARE(out, expected);
    }

    void loaderErrorsAreClear() {
        QTemporaryDir dir;
        const auto path = makeModel(dir, "llama");
        auto cfg = io::readJsonFile(path + "/config.json");

        auto withConfig = [&](const nlohmann::json& j) {
            io::writeJsonFile(path + "/config.json", j);
            return expectError([&] { loadModel(path); });
        };
        auto j = cfg;
        j["model_type"] = "gpt_neox";
        auto msg = withConfig(j);
        QVERIFY2(msg.find("unsupported model_type \"gpt_neox\"") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("llama, mistral, phi, qwen2") != std::string::npos, msg.c_str());

        j = cfg;
        j["num_hidden_layers"] = 3;
        msg = withConfig(j);
        // A layer count the tensors contradict is named as such (not as missing tensors).
        QVERIFY2(msg.find("config.json: num_hidden_layers is 3 but the weights hold layers 0..1 (2 "
                          "layers)") != std::string::npos,
                 msg.c_str());

        j = cfg;
        j["intermediate_size"] = 99;
        msg = withConfig(j);
        QVERIFY2(msg.find("has shape") != std::string::npos &&
                     msg.find("model.safetensors") != std::string::npos,
                 msg.c_str());

        j = cfg;
        j["num_hidden_layers"] = 1;
        msg = withConfig(j);
        QVERIFY2(msg.find("num_hidden_layers is 1 but the weights hold layers 0..1") !=
                     std::string::npos,
                 msg.c_str());

        j = cfg;
        j["hidden_size"] = j["hidden_size"].get<int>() * 2;
        msg = withConfig(j);
        QVERIFY2(msg.find("config.json: hidden_size is") != std::string::npos &&
                     msg.find("model.embed_tokens.weight is [") != std::string::npos,
                 msg.c_str());

        j = cfg;
        j.erase("hidden_size");
        msg = withConfig(j);
        QVERIFY2(msg.find("config.json: missing required field \"hidden_size\"") !=
                     std::string::npos,
                 msg.c_str());

        j = cfg;
        j["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}};
        msg = withConfig(j);
        QVERIFY2(msg.find("unsupported rope_scaling type \"yarn\"") != std::string::npos,
                 msg.c_str());

        io::writeJsonFile(path + "/config.json", cfg);
        msg = expectError([&] { loadModel(path, {"cpu", "fp16"}); });
        QVERIFY2(msg.find("fp16 is supported on CUDA devices only") != std::string::npos,
                 msg.c_str());
        msg = expectError([&] { loadModel(path, {"tpu", "fp32"}); });
        QVERIFY2(msg.find("invalid device \"tpu\"") != std::string::npos, msg.c_str());
        msg = expectError([&] { loadModel(dir.filePath("nope").toStdString()); });
        QVERIFY2(msg.find("not a model directory") != std::string::npos, msg.c_str());
    }

    // A tied model whose weights store only lm_head.weight (as tinystories-656k's do) reads
    // its embedding from there: same logits as the same weights stored as embed_tokens.
    void tiedModelWithOnlyLmHead() {
        QTemporaryDir dir;
        const auto path = makeModel(dir, "llama3"); // tied
        const std::string other = dir.filePath("lm-head-only").toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(other)));
        QFile::copy(QString::fromStdString(path + "/config.json"),
                    QString::fromStdString(other + "/config.json"));
        {
            auto ckpt = io::SafetensorsCheckpoint::openDirectory(path);
            QVERIFY(ckpt.find("model.embed_tokens.weight") && !ckpt.find("lm_head.weight"));
            std::vector<io::TensorSource> tensors;
            for (const auto& name : ckpt.names()) {
                const io::TensorInfo* t = ckpt.find(name);
                const std::string bytes(reinterpret_cast<const char*>(ckpt.data(*t)), t->nbytes);
                tensors.push_back({name == "model.embed_tokens.weight" ? "lm_head.weight" : name,
                                   t->dtype, t->shape, [bytes] { return bytes; }});
            }
            io::writeSafetensors(other + "/model.safetensors", tensors, {{"format", "pt"}});
        }
        auto a = loadModel(path);
        auto b = loadModel(other);
        const auto ids = at::tensor(std::vector<int64_t>{1, 5, 9, 2, 7}, at::kLong).view({1, -1});
        at::NoGradGuard ng;
        QCOMPARE(maxRelDiff(b->logits(ids), a->logits(ids)), 0.0);
        QVERIFY(b->parameterIndex("model.embed_tokens.weight") >= 0);
        ModelLoader::checkWeights(other); // the header-only checks accept it too
        // Untied, lm_head alone is not an embedding.
        auto cfg = io::readJsonFile(other + "/config.json");
        cfg["tie_word_embeddings"] = false;
        io::writeJsonFile(other + "/config.json", cfg);
        const std::string msg = expectError([&] { loadModel(other); });
        QVERIFY2(msg.find("lack") != std::string::npos &&
                     msg.find("model.embed_tokens.weight") != std::string::npos,
                 msg.c_str());
    }

    // synth-model --dtype bf16: the same draws as the f32 model, rounded by torch to bf16, and
    // half the bytes on disk; config.json says so.
    void syntheticBf16ModelIsTheF32ModelRounded() {
        QTemporaryDir dir;
        SyntheticSpec s;
        s.preset = "llama3";
        s.seed = 11;
        const std::string f32 = dir.filePath("f32").toStdString();
        writeSyntheticModel(f32, s);
        s.dtype = "bf16";
        const std::string bf16 = dir.filePath("bf16").toStdString();
        writeSyntheticModel(bf16, s);
        QCOMPARE(io::readJsonFile(bf16 + "/config.json")["torch_dtype"].get<std::string>(),
                 std::string("bfloat16"));
        auto a = io::SafetensorsCheckpoint::openDirectory(f32);
        auto b = io::SafetensorsCheckpoint::openDirectory(bf16);
        QCOMPARE(a.names(), b.names());
        for (const auto& name : a.names()) {
            const io::TensorInfo* ta = a.find(name);
            const io::TensorInfo* tb = b.find(name);
            QVERIFY(tb->dtype == io::DType::BF16);
            QCOMPARE(tb->nbytes * 2, ta->nbytes);
            auto va = at::from_blob(const_cast<uint8_t*>(a.data(*ta)), ta->shape, at::kFloat);
            auto vb = at::from_blob(const_cast<uint8_t*>(b.data(*tb)), tb->shape, at::kBFloat16);
            QVERIFY2(at::equal(va.to(at::kBFloat16), vb), name.c_str());
        }
        // The bf16 file loads (as fp32 by default) and runs.
        auto m = loadModel(bf16);
        at::NoGradGuard ng;
        const auto ids = at::tensor(std::vector<int64_t>{1, 5, 9}, at::kLong).view({1, -1});
        QVERIFY(m->logits(ids).isfinite().all().item<bool>());
    }

    // A real checkpoint's vocabulary size pads rows no token maps to (Llama 3's 128,256 for the
    // benchmark shapes); --untied stores lm_head apart from the tied preset's embedding.
    void syntheticPaddedVocabularyAndUntiedHead() {
        QTemporaryDir dir;
        SyntheticSpec s;
        s.preset = "llama3";
        s.vocabSize = 1000;
        s.untied = true;
        const std::string path = dir.filePath("padded").toStdString();
        writeSyntheticModel(path, s);
        const auto cfg = io::readJsonFile(path + "/config.json");
        QCOMPARE(cfg["vocab_size"].get<int64_t>(), int64_t(1000));
        QCOMPARE(cfg["tie_word_embeddings"].get<bool>(), false);
        auto ck = io::SafetensorsCheckpoint::openDirectory(path);
        QVERIFY(ck.find("model.embed_tokens.weight") != nullptr);
        QVERIFY(ck.find("lm_head.weight") != nullptr);
        QCOMPARE(ck.find("model.embed_tokens.weight")->shape[0], int64_t(1000));
        QCOMPARE(ck.find("lm_head.weight")->shape[0], int64_t(1000));
        auto m = loadModel(path);
        at::NoGradGuard ng;
        const auto ids = at::tensor(std::vector<int64_t>{1, 5, 9}, at::kLong).view({1, -1});
        const auto logits = m->logits(ids);
        QCOMPARE(logits.size(-1), int64_t(1000));
        QVERIFY(logits.isfinite().all().item<bool>());
        // The default (tokenizer-sized, tied) is unchanged: 256 bytes + 200 merges + 2.
        SyntheticSpec d;
        d.preset = "llama3";
        QCOMPARE(syntheticConfig(d).vocabSize, int64_t(458));
        QVERIFY(syntheticConfig(d).tieWordEmbeddings);
        s.vocabSize = 100; // below the tokenizer's 458
        const std::string err = expectError([&] { syntheticConfig(s); });
        QVERIFY2(err.find("smaller than the tokenizer's 458") != std::string::npos, err.c_str());
    }

    // A model that cannot fit stops before any weight is read, naming the model, what it needs
    // and what is available, and whether bf16 would fit.
    void modelThatDoesNotFitStopsAtOnce() {
        QTemporaryDir dir;
        const auto path = makeModel(dir, "llama");
        qputenv("TASKQUANT_MEMORY_LIMIT", "64K");
        std::string msg = expectError([&] { loadModel(path); });
        QVERIFY2(msg.find(path + ": does not fit") == 0, msg.c_str());
        QVERIFY2(msg.find(" as fp32 but only 0.1 MiB of memory is available") != std::string::npos,
                 msg.c_str());
        QVERIFY2(msg.find("--dtype bf16") != std::string::npos, msg.c_str());
        qputenv("TASKQUANT_MEMORY_LIMIT", "twenty gigs");
        msg = expectError([&] { loadModel(path); });
        QVERIFY2(msg.find("TASKQUANT_MEMORY_LIMIT: \"twenty gigs\" is not a size") == 0,
                 msg.c_str());
        qunsetenv("TASKQUANT_MEMORY_LIMIT");

        // A config that claims a model far larger than any machine's memory (the weights file is
        // sparse: a header and a hole) stops at once, without the limit set.
        SyntheticSpec big;
        big.preset = "llama";
        big.hiddenSize = 16384;
        big.numLayers = 128;
        big.numHeads = 128;
        big.intermediateSize = 65536;
        const ModelConfig c = syntheticConfig(big);
        const std::string huge = dir.filePath("huge").toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(huge)));
        io::writeJsonFile(huge + "/config.json", c.toJson());
        nlohmann::json header = nlohmann::json::object();
        uint64_t offset = 0;
        auto add = [&](const std::string& name, std::vector<int64_t> shape) {
            uint64_t n = 2;
            for (auto d : shape)
                n *= static_cast<uint64_t>(d);
            header[name] = {
                {"dtype", "BF16"}, {"shape", shape}, {"data_offsets", {offset, offset + n}}};
            offset += n;
        };
        const int64_t H = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
        const int64_t kv = c.numKvHeads * c.headDim, q = c.numHeads * c.headDim;
        add("model.embed_tokens.weight", {V, H});
        for (int64_t l = 0; l < c.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            add(p + "self_attn.q_proj.weight", {q, H});
            add(p + "self_attn.k_proj.weight", {kv, H});
            add(p + "self_attn.v_proj.weight", {kv, H});
            add(p + "self_attn.o_proj.weight", {H, q});
            add(p + "mlp.gate_proj.weight", {I, H});
            add(p + "mlp.up_proj.weight", {I, H});
            add(p + "mlp.down_proj.weight", {H, I});
            add(p + "input_layernorm.weight", {H});
            add(p + "post_attention_layernorm.weight", {H});
        }
        add("model.norm.weight", {H});
        if (!c.tieWordEmbeddings)
            add("lm_head.weight", {V, H});
        std::string text = header.dump();
        text.append((8 - text.size() % 8) % 8, ' ');
        {
            std::ofstream out(huge + "/model.safetensors", std::ios::binary);
            uint64_t n = text.size();
            for (int i = 0; i < 8; ++i)
                out.put(static_cast<char>((n >> (8 * i)) & 0xff));
            out << text;
        }
        QVERIFY(QFile::resize(QString::fromStdString(huge + "/model.safetensors"),
                              static_cast<qint64>(8 + text.size() + offset)));
        msg = expectError([&] { loadModel(huge, {"cpu", "bf16"}); });
        QVERIFY2(msg.find(huge + ": does not fit") == 0, msg.c_str());
        QVERIFY2(msg.find("as bf16 but only") != std::string::npos, msg.c_str());
    }

    void cudaRowsSkipWithoutGpu() {
        if (!at::hasCUDA())
            QSKIP("no CUDA in this libtorch / machine");
        QTemporaryDir dir;
        const auto path = makeModel(dir, "llama3");
        auto cpu = loadModel(path);
        auto gpu = loadModel(path, {"cuda", "fp32"});
        at::NoGradGuard ng;
        auto ids = randomIds(16, cpu->config().vocabSize, 4).view({2, 8});
        QVERIFY(maxRelDiff(gpu->logits(ids).cpu(), cpu->logits(ids)) < 1e-3);
    }
};

QTEST_APPLESS_MAIN(TstModels)
#include "tst_models.moc"
