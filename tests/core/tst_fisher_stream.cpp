// The streamed per-weight Fisher (sensitivity/activation_stats.h elementFisherStreamed) against
// the in-memory one (elementFisher: weight gradients on, every weight's sums in double at once):
// the same values whatever the grouping, to float rounding; and the groups hand-worked.
#include <QtTest/QtTest>
#include <cmath>
#include <random>

#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/sensitivity/activation_stats.h"

using namespace taskquant;

class TstFisherStream : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    std::string model() {
        const std::string dir = tmp_.path().toStdString() + "/llama";
        if (!QFileInfo::exists(QString::fromStdString(dir + "/config.json"))) {
            models::SyntheticSpec s;
            s.preset = "llama";
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
    }

    void streamedEqualsInMemory_data() {
        QTest::addColumn<qulonglong>("budget");
        QTest::newRow("one pass") << qulonglong(0);
        QTest::newRow("a weight per pass") << qulonglong(1);
        QTest::newRow("about 3 weights per pass") << qulonglong(3 * 4 * 64 * 64);
    }
    void streamedEqualsInMemory() {
        QFETCH(qulonglong, budget);
        auto m = models::loadModel(model());
        std::mt19937 rng(3);
        std::vector<std::vector<int64_t>> chunks(3, std::vector<int64_t>(24));
        for (auto& c : chunks)
            for (auto& t : c)
                t = int64_t(rng() % uint32_t(m->config().vocabSize));
        const auto ref = sensitivity::elementFisher(*m, chunks, 5);
        QVERIFY(!ref.empty());
        std::vector<std::string> names;
        for (const auto& p : m->parameters())
            if (p.tensor.dim() == 2)
                names.push_back(p.name);
        std::map<std::string, std::vector<float>> got;
        std::vector<std::string> order;
        sensitivity::elementFisherStreamed(
            *m, chunks, 5, names, budget == 0 ? uint64_t(1) << 40 : uint64_t(budget),
            [&](const std::string& n, const float* v, int64_t numel) {
                got[n].assign(v, v + numel);
                order.push_back(n);
            });
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
