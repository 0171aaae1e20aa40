#include "core/sensitivity/perturbation.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <chrono>
#include <map>
#include <set>

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
    at::Tensor mask;    // [B, T] float
    std::set<int> seen; // every weight the forward passes used
    // Per batch: per weight, each sample's squared error [B] (double, on the CPU).
    std::map<int, at::Tensor> batchSse;

    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        seen.insert(w);
        // Streamed: the perturbation of one weight at a time, in the compute dtype, built for
        // this use and freed after it (no quantized copy of the model is kept).
        const at::Tensor wt = model.computeWeight(w);
        auto diff = at::linear(x, fakeQuantInt4PerChannel(wt) - wt).to(at::kFloat); // bias cancels
        auto m = mask.to(diff.device()).unsqueeze(-1);
        // Sum over every dimension but the batch one.
        auto perSample = (diff.pow(2) * m).flatten(1).sum(1, false, at::kDouble); // [B]
        auto& acc = batchSse[w];
        acc = acc.defined() ? acc + perSample.cpu() : perSample.cpu();
    }
};
} // namespace

SensitivityMap computePerturbation(models::CausalLM& model,
                                   const std::vector<std::vector<int64_t>>& samples,
                                   int64_t batchSize, const JobControl& job) {
    const auto t0 = std::chrono::steady_clock::now();
    if (samples.empty())
        throw Error("no calibration samples");
    at::NoGradGuard noGrad;
    PerturbationObserver obs(model);
    std::map<int, double> sse, count; // folded over the samples kept
    int64_t tokens = 0, skipped = 0;
    const int64_t bs = std::max<int64_t>(1, batchSize);
    for (std::size_t start = 0; start < samples.size(); start += bs) {
        job.check();
        const std::size_t end = std::min(samples.size(), start + static_cast<std::size_t>(bs));
        int64_t T = 0;
        std::vector<std::size_t> batch;
        for (std::size_t i = start; i < end; ++i) {
            // Empty and one-token samples are skipped (and counted), as Fisher skips them.
            if (samples[i].size() < 2) {
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
            }
            obs.mask = mask.to(at::kFloat);
            obs.batchSse.clear();
            at::Tensor logits;
            {
                models::ObserverScope observe(model, obs);
                logits = model.logits(ids, mask);
            }
            // A sample whose logits or layer errors are not finite (NaN / Inf weights, an
            // activation overflowing in fp16) is skipped and counted, never folded in.
            auto finite = at::isfinite(logits.to(at::kFloat)).flatten(1).all(1).cpu();
            for (auto& [w, v] : obs.batchSse)
                finite = finite.logical_and(at::isfinite(v));
            auto ok = finite.accessor<bool, 1>();
            for (int64_t b = 0; b < B; ++b) {
                if (!ok[b]) {
                    ++skipped;
                    continue;
                }
                const auto n = static_cast<int64_t>(samples[batch[b]].size());
                tokens += n;
                for (auto& [w, v] : obs.batchSse) {
                    sse[w] += v[b].item<double>();
                    const auto& p = model.parameters()[w].tensor;
                    count[w] += static_cast<double>(n) * static_cast<double>(p.size(0));
                }
            }
        }
        job.report(double(end) / double(samples.size()), "perturbation",
                   static_cast<long long>(end), static_cast<long long>(samples.size()));
    }
    // Every scored weight appears, with 0 when no sample was kept.
    for (int w : obs.seen)
        sse.emplace(w, 0.0);
    std::vector<MapEntry> entries;
    for (const auto& [w, e] : sse) {
        const auto& p = model.parameters()[w];
        const double c = count[w];
        entries.push_back({p.name, c > 0 ? e / c : 0.0, p.tensor.numel(), p.tensor.sizes().vec()});
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
