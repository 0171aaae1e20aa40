// The streamed per-weight Fisher (sensitivity/activation_stats.h elementFisherStreamed, and
// elementFisher, its one-group form) against a reference written here from the definition by
// another route (weight gradients on, every use's g_n^2 x_n^2 products summed in double per
// chunk, embedding rows by index_add over a full table): the same values whatever the grouping,
// to float rounding; and the groups hand-worked.
#include <QtTest/QtTest>
#include <cmath>
#include <random>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/sensitivity/activation_stats.h"
#include "core/sensitivity/square_sums.h"

using namespace taskquant;

namespace {

// F_rc = (1/N) sum_n g_{n,r}^2 x_{n,c}^2 for linear uses, F_vc = (1/N) sum_{n: id_n = v} g_{n,c}^2
// for lookups, labels drawn as the library draws them (one multinomial draw per position from the
// model's own distribution, CPU generator seeded with `seed`, chunk by chunk).
class RefObserver : public models::ForwardObserver {
  public:
    struct Use {
        int weight;
        at::Tensor x, y;
        bool embedding;
    };
    std::vector<Use> uses;
    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        if (y.requires_grad()) {
            y.retain_grad();
            uses.push_back({w, x.detach(), y, false});
        }
    }
    void embedding(int w, const at::Tensor& ids, const at::Tensor& y) override {
        if (y.requires_grad()) {
            y.retain_grad();
            uses.push_back({w, ids.detach(), y, true});
        }
    }
};

std::map<std::string, std::vector<float>>
referenceFisher(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                uint64_t seed, int samples = 1) {
    RefObserver obs;
    models::RequiresGradScope grads(model, true);
    models::ObserverScope observe(model, obs);
    at::AutoGradMode gradMode(true);
    at::Generator gen = at::detail::createCPUGenerator(seed);
    std::map<int, at::Tensor> sums;
    int64_t positions = 0;
    for (const auto& chunk : chunks)
        for (int draw = 0; draw < samples; ++draw) { // a whole forward and backward pass each
            obs.uses.clear();
            const auto ids = at::tensor(chunk, at::kLong).view({1, -1});
            const at::Tensor logp = at::log_softmax(model.logits(ids).to(at::kFloat), -1);
            const int64_t vocab = logp.size(-1);
            const at::Tensor probs = logp.detach().exp().reshape({-1, vocab}).to(at::kDouble);
            const at::Tensor labels = at::multinomial(probs, 1, true, gen);
            logp.reshape({-1, vocab}).gather(1, labels).sum().backward();
            for (const auto& u : obs.uses) {
                const at::Tensor g2 = u.y.grad().reshape({-1, u.y.size(-1)}).to(at::kDouble).pow(2);
                const auto& w = model.parameters()[std::size_t(u.weight)].tensor;
                at::Tensor f = at::zeros({w.size(0), w.size(1)}, at::kDouble);
                if (u.embedding)
                    f.index_add_(0, u.x.reshape({-1}), g2);
                else
                    for (int64_t n = 0; n < g2.size(0); ++n) // position by position
                        f += at::outer(g2[n],
                                       u.x.reshape({-1, u.x.size(-1)})[n].to(at::kDouble).pow(2));
                auto it = sums.find(u.weight);
                if (it == sums.end())
                    sums.emplace(u.weight, f);
                else
                    it->second += f;
            }
            model.zeroGrad();
            positions += static_cast<int64_t>(chunk.size());
        }
    std::map<std::string, std::vector<float>> out;
    for (auto& [w, s] : sums) {
        const at::Tensor m = (s / double(positions)).to(at::kFloat).contiguous();
        out[model.parameters()[std::size_t(w)].name].assign(m.data_ptr<float>(),
                                                            m.data_ptr<float>() + m.numel());
    }
    return out;
}

} // namespace

class TstFisherStream : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    std::string model(const std::string& preset = "llama") {
        const std::string dir = tmp_.path().toStdString() + "/" + preset;
        if (!QFileInfo::exists(QString::fromStdString(dir + "/config.json"))) {
            models::SyntheticSpec s;
            s.preset = preset;
            if (preset.size() > 5 && preset.compare(preset.size() - 5, 5, "-bf16") == 0) {
                s.preset = preset.substr(0, preset.size() - 5); // stored bf16, computed in fp32
                s.dtype = "bf16";
            }
            s.hiddenSize = 64;
            s.numLayers = 2;
            s.numHeads = 4;
            s.seed = 11;
            models::writeSyntheticModel(dir, s);
        }
        return dir;
    }

  private slots:
    void groupsHandWorked() {
        // 4 bytes per value: 100 + 150 values fit 1000 bytes, 200 starts a new group; 300
        // (1200 bytes) is alone; 10 follows it in a fresh group.
        const auto g = sensitivity::fisherGroups({100, 150, 200, 300, 10}, 1000);
        QCOMPARE(g.size(), std::size_t(4));
        QCOMPARE(g[0], (std::vector<std::size_t>{0, 1}));
        QCOMPARE(g[1], (std::vector<std::size_t>{2}));
        QCOMPARE(g[2], (std::vector<std::size_t>{3}));
        QCOMPARE(g[3], (std::vector<std::size_t>{4}));
        QCOMPARE(sensitivity::fisherGroups({5, 5, 5}, 1u << 20).size(), std::size_t(1));
        QVERIFY(sensitivity::fisherGroups({}, 100).empty());
        // Aligned to segments (one key per weight), 4 bytes per value, 1000-byte buffer:
        // 400 + 600 fill the first group, segment 1 starts the next;
        // 400 + 200 + 240 + 280 overflow at the 4th: segment 1's 200 + 240 move on with it;
        // 400 + 600 | 800 + 480 overflow and segment 1 alone is larger: it is split.
        QCOMPARE(sensitivity::fisherGroups({100, 150, 50, 60}, 1000, {0, 0, 1, 1}),
                 (std::vector<std::vector<std::size_t>>{{0, 1}, {2, 3}}));
        QCOMPARE(sensitivity::fisherGroups({100, 50, 60, 70}, 1000, {0, 1, 1, 1}),
                 (std::vector<std::vector<std::size_t>>{{0}, {1, 2, 3}}));
        QCOMPARE(sensitivity::fisherGroups({100, 150, 200, 120}, 1000, {0, 0, 1, 1}),
                 (std::vector<std::vector<std::size_t>>{{0, 1}, {2}, {3}}));
        // a group of one segment only is split (nothing earlier to end before)
        QCOMPARE(sensitivity::fisherGroups({200, 200}, 1000, {4, 4}),
                 (std::vector<std::vector<std::size_t>>{{0}, {1}}));
    }

    void streamedEqualsInMemory_data() {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<qulonglong>("budget");
        QTest::addColumn<int>("samples");
        QTest::newRow("one group") << "llama" << qulonglong(0) << 1;
        QTest::newRow("a weight per group") << "llama" << qulonglong(1) << 1;
        QTest::newRow("about 3 weights per group") << "llama" << qulonglong(3 * 4 * 64 * 64) << 1;
        QTest::newRow("2 label draws, 3 weights per group")
            << "llama" << qulonglong(3 * 4 * 64 * 64) << 2;
        // tied lm_head (lookup + head in one sum), GQA; q/k/v biases; parallel blocks
        QTest::newRow("llama3, a weight per group") << "llama3" << qulonglong(1) << 1;
        QTest::newRow("qwen2, about 3 weights per group")
            << "qwen2" << qulonglong(3 * 4 * 64 * 64) << 1;
        QTest::newRow("phi, one group, 2 draws") << "phi" << qulonglong(0) << 2;
        QTest::newRow("phi, a weight per group") << "phi" << qulonglong(1) << 1;
        QTest::newRow("llama stored bf16, a weight per group")
            << "llama-bf16" << qulonglong(1) << 1;
        // a model that streams its weights: the first pass's backward goes layer by layer
        QTest::newRow("llama stored bf16, pages released, 2 draws")
            << "llama-bf16-released" << qulonglong(3 * 4 * 64 * 64) << 2;
    }
    void streamedEqualsInMemory() {
        QFETCH(QString, preset);
        QFETCH(qulonglong, budget);
        QFETCH(int, samples);
        const bool released = preset.endsWith("-released");
        if (released)
            preset.chop(9);
        auto m = models::loadModel(model(preset.toStdString()));
        m->setReleasePages(released);
        std::mt19937 rng(3);
        std::vector<std::vector<int64_t>> chunks(3, std::vector<int64_t>(24));
        for (auto& c : chunks)
            for (auto& t : c)
                t = int64_t(rng() % uint32_t(m->config().vocabSize));
        const auto ref = referenceFisher(*m, chunks, 5, samples);
        QVERIFY(!ref.empty());
        QVERIFY(ref.count("model.embed_tokens.weight")); // the lookup's rows are covered
        // elementFisher is the one-group form
        const auto whole = sensitivity::elementFisher(*m, chunks, 5, {}, samples);
        QCOMPARE(whole.size(), ref.size());
        std::vector<std::string> names;
        for (const auto& p : m->parameters())
            if (p.tensor.dim() == 2)
                names.push_back(p.name);
        std::map<std::string, std::vector<float>> got;
        std::vector<std::string> order;
        sensitivity::SquareSums squares;
        sensitivity::elementFisherStreamed(
            *m, chunks, 5, names, budget == 0 ? uint64_t(1) << 40 : uint64_t(budget),
            [&](const std::string& n, const float* v, int64_t numel) {
                got[n].assign(v, v + numel);
                order.push_back(n);
            },
            {}, samples, &squares);
        // the first pass's activation statistics equal those of a pass of their own
        const auto energy = sensitivity::columnEnergy(*m, chunks);
        const auto gathered = sensitivity::columnEnergy(*m, squares);
        QCOMPARE(gathered.size(), energy.size());
        QVERIFY(!energy.empty());
        for (const auto& [name, values] : energy) {
            QVERIFY2(gathered.count(name), name.c_str());
            for (std::size_t i = 0; i < values.size(); ++i)
                QVERIFY(std::fabs(gathered.at(name)[i] - values[i]) <=
                        1e-6 * std::fabs(values[i]) + 1e-12);
        }
        QCOMPARE(got.size(), ref.size());
        for (const auto& [name, values] : ref) {
            QVERIFY2(got.count(name), name.c_str());
            const auto& g = got[name];
            QCOMPARE(g.size(), values.size());
            double maxAbs = 0;
            for (float v : values)
                maxAbs = std::max(maxAbs, double(std::fabs(v)));
            QVERIFY(maxAbs > 0);
            for (std::size_t i = 0; i < g.size(); ++i)
                QVERIFY2(std::fabs(double(g[i]) - double(values[i])) <=
                             1e-5 * std::fabs(double(values[i])) + 1e-6 * maxAbs,
                         qPrintable(QStringLiteral("%1[%2]: %3 vs %4")
                                        .arg(QString::fromStdString(name))
                                        .arg(i)
                                        .arg(g[i])
                                        .arg(values[i])));
        }
        // Consumed in the order asked (observed weights only), no weight gradient left behind.
        for (std::size_t i = 1; i < order.size(); ++i)
            QVERIFY(std::find(names.begin(), names.end(), order[i - 1]) <
                    std::find(names.begin(), names.end(), order[i]));
        for (const auto& p : m->parameters()) {
            QVERIFY(!p.tensor.requires_grad());
            QVERIFY(!p.tensor.grad().defined());
        }
    }
};

QTEST_GUILESS_MAIN(TstFisherStream)
#include "tst_fisher_stream.moc"
