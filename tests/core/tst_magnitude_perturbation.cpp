// Magnitude maps against direct sums; perturbation against an explicit per-layer computation.
#include <ATen/ATen.h>
#include <QtTest/QtTest>
#include <cmath>

#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/sensitivity/magnitude.h"
#include "core/sensitivity/perturbation.h"
#include "core/util/error.h"

using namespace taskquant;
using namespace taskquant::sensitivity;

class TstMagnitudePerturbation : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<models::CausalLM> model_;

  private slots:
    void initTestCase() {
        models::SyntheticSpec s;
        s.preset = "phi";
        const auto path = dir_.filePath(QStringLiteral("phi")).toStdString();
        models::writeSyntheticModel(path, s);
        model_ = models::loadModel(path);
    }

    void magnitudeNorms() {
        auto l2 = computeMagnitude(*model_, MagnitudeNorm::L2Squared, false);
        auto l1pp = computeMagnitude(*model_, MagnitudeNorm::L1, true);
        QCOMPARE(l2.provenance().method, std::string("magnitude_l2"));
        int weights = 0;
        for (const auto& p : model_->parameters()) {
            if (p.name.find(".bias") != std::string::npos) {
                QVERIFY(l2.find(p.name) == nullptr);
                continue;
            }
            ++weights;
            double sq = 0, ab = 0;
            auto w = p.tensor.contiguous();
            const float* d = w.data_ptr<float>();
            for (int64_t i = 0; i < w.numel(); ++i)
                sq += double(d[i]) * d[i], ab += std::abs(d[i]);
            QVERIFY(std::abs(l2.find(p.name)->score - sq) <= 1e-9 * sq);
            QVERIFY(std::abs(l1pp.find(p.name)->score - ab / w.numel()) <= 1e-9 * ab);
            QCOMPARE(l2.find(p.name)->numel, w.numel());
        }
        QCOMPARE(static_cast<int>(l2.size()), weights);
    }

    void int4PerChannelFakeQuant() {
        auto w = at::tensor({0.7f, -0.35f, 0.1f, 0.0f, 1.4f, 0.2f}).view({2, 3});
        auto q = fakeQuantInt4PerChannel(w);
        // Row 0: scale 0.1 -> 0.7, -0.4 (-3.5 rounds to -4), 0.1. Row 1: scale 0.2.
        auto e = at::tensor({0.7f, -0.4f, 0.1f, 0.0f, 1.4f, 0.2f}).view({2, 3});
        QVERIFY(at::allclose(q, e, 1e-6, 1e-6));
        auto zero = fakeQuantInt4PerChannel(at::zeros({2, 4}));
        QVERIFY(at::equal(zero, at::zeros({2, 4})));
    }

    void perturbationMatchesExplicitLayerError() {
        std::vector<std::vector<int64_t>> samples = {{1, 5, 9, 13, 2}, {3, 4}};
        auto map = computePerturbation(*model_, samples, 2);
        QCOMPARE(map.provenance().tokens, int64_t(7));
        // Only linear weights are scored.
        QVERIFY(map.find("model.layers.0.input_layernorm.weight") == nullptr);
        QVERIFY(map.find("model.embed_tokens.weight") == nullptr);
        // Explicit: run sample by sample, capture fc1's input through the observer.
        struct Capture : models::ForwardObserver {
            int target;
            std::vector<at::Tensor> inputs;
            void linear(int w, int, const at::Tensor& x, const at::Tensor&) override {
                if (w == target)
                    inputs.push_back(x.detach().clone());
            }
        } cap;
        const std::string name = "model.layers.1.mlp.fc1.weight";
        cap.target = model_->parameterIndex(name);
        model_->setObserver(&cap);
        for (const auto& s : samples)
            model_->logits(at::tensor(s, at::kLong).view({1, -1}));
        model_->setObserver(nullptr);
        const auto& w = model_->parameters()[cap.target].tensor;
        auto wq = fakeQuantInt4PerChannel(w);
        double sse = 0, n = 0;
        for (const auto& x : cap.inputs) {
            auto d = at::matmul(x, wq.t()) - at::matmul(x, w.t());
            sse += d.pow(2).sum().item<double>();
            n += d.numel();
        }
        QVERIFY(std::abs(map.find(name)->score - sse / n) <= 1e-5 * (sse / n));
        QVERIFY(map.find(name)->score > 0);
    }
};

QTEST_APPLESS_MAIN(TstMagnitudePerturbation)
#include "tst_magnitude_perturbation.moc"
