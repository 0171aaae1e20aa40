#include "core/sensitivity/perturbation.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <chrono>
#include <map>

#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {

at::Tensor fakeQuantInt4PerChannel(const at::Tensor& w) {
    auto wf = w.to(at::kFloat);
    auto scale = wf.abs().amax({1}, true) / 7.0;
    auto safe = at::where(scale > 0, scale, at::ones_like(scale));
    return (at::round(wf / safe).clamp(-8, 7) * safe).to(w.scalar_type());
}

namespace {
class PerturbationObserver : public models::ForwardObserver {
public:
    PerturbationObserver(const models::CausalLM& m) : model(m) {}
    const models::CausalLM& model;
    at::Tensor mask; // [B, T] float
    std::map<int, at::Tensor> quantized;
    std::map<int, double> sse, count;

    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        auto it = quantized.find(w);
        if (it == quantized.end())
            it = quantized.emplace(w, fakeQuantInt4PerChannel(model.parameters()[w].tensor)).first;
        const auto& wt = model.parameters()[w].tensor;
        auto diff = at::linear(x, it->second - wt).to(at::kFloat); // bias cancels
        auto m = mask.to(diff.device()).unsqueeze(-1);
        sse[w] += (diff.pow(2) * m).sum(at::kDouble).item<double>();
        count[w] += mask.sum().item<double>() * static_cast<double>(diff.size(-1));
    }
};
} // namespace

SensitivityMap computePerturbation(models::CausalLM& model,
                                   const std::vector<std::vector<int64_t>>& samples,
                                   int64_t batchSize, const JobControl& job) {
    const auto t0 = std::chrono::steady_clock::now();
    if (samples.empty()) throw Error("no calibration samples");
    at::NoGradGuard noGrad;
    PerturbationObserver obs(model);
    int64_t tokens = 0, skipped = 0;
    const int64_t bs = std::max<int64_t>(1, batchSize);
    for (std::size_t start = 0; start < samples.size(); start += bs) {
        job.check();
        const std::size_t end = std::min(samples.size(), start + static_cast<std::size_t>(bs));
        int64_t T = 0;
        std::vector<std::size_t> batch;
        for (std::size_t i = start; i < end; ++i) {
            if (samples[i].empty()) {
                ++skipped;
                continue;
            }
            batch.push_back(i);
            T = std::max<int64_t>(T, samples[i].size());
        }
        if (!batch.empty()) {
            const int64_t B = static_cast<int64_t>(batch.size());
            auto ids = at::zeros({B, T}, at::kLong);
            auto mask = at::zeros({B, T}, at::kLong);
            for (int64_t b = 0; b < B; ++b) {
                const auto& s = samples[batch[b]];
                ids[b].narrow(0, 0, s.size()).copy_(at::tensor(s, at::kLong));
                mask[b].narrow(0, 0, s.size()).fill_(1);
                tokens += static_cast<int64_t>(s.size());
            }
            obs.mask = mask.to(at::kFloat);
            model.setObserver(&obs);
            try {
                model.logits(ids, mask);
            } catch (...) {
                model.setObserver(nullptr);
                throw;
            }
            model.setObserver(nullptr);
        }
        job.report(double(end) / double(samples.size()), "perturbation", static_cast<long long>(end),
                   static_cast<long long>(samples.size()));
    }
    std::vector<MapEntry> entries;
    for (const auto& [w, sse] : obs.sse) {
        const auto& p = model.parameters()[w];
        const double c = obs.count[w];
        entries.push_back({p.name, c > 0 ? sse / c : 0.0, p.tensor.numel(), p.tensor.sizes().vec()});
    }
    Provenance pv;
    pv.architecture = model.config().modelType;
    pv.method = "perturbation";
    pv.samples = static_cast<int64_t>(samples.size());
    pv.tokens = tokens;
    pv.skippedSamples = skipped;
    pv.settings = {{"quantization", "int4 symmetric per output channel, absmax/7"}};
    pv.device = model.device().str();
    pv.dtype = models::dtypeLabel(model.dtype());
    pv.toolVersion = TASKQUANT_VERSION;
    pv.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return SensitivityMap(std::move(entries), std::move(pv));
}

} // namespace taskquant::sensitivity
