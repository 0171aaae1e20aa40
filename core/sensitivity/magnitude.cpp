#include "core/sensitivity/magnitude.h"

#include <ATen/ATen.h>
#include <chrono>

#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"

namespace taskquant::sensitivity {

SensitivityMap computeMagnitude(const models::CausalLM& model, MagnitudeNorm norm,
                                bool perParameter, const JobControl& job) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<MapEntry> entries;
    const auto& ps = model.parameters();
    int64_t done = 0, nonFinite = 0;
    std::vector<std::string> nonFiniteTensors;
    for (const auto& p : ps) {
        job.check();
        ++done;
        const auto& n = p.name;
        if (n.size() <= 7 || n.compare(n.size() - 7, 7, ".weight") != 0)
            continue;
        auto w = p.tensor.detach().to(at::kDouble);
        // NaN / Inf weights are left out of the score and counted in the provenance.
        auto finite = at::isfinite(w);
        const int64_t bad = w.numel() - finite.sum().item<int64_t>();
        if (bad > 0) {
            nonFinite += bad;
            nonFiniteTensors.push_back(n);
            w = at::where(finite, w, at::zeros_like(w));
        }
        double score = norm == MagnitudeNorm::L2Squared ? w.pow(2).sum().item<double>()
                                                        : w.abs().sum().item<double>();
        if (perParameter)
            score /= static_cast<double>(std::max<int64_t>(1, p.tensor.numel()));
        entries.push_back({n, score, p.tensor.numel(), p.tensor.sizes().vec()});
        job.report(double(done) / double(ps.size()), "magnitude " + n, done,
                   static_cast<long long>(ps.size()));
    }
    Provenance pv;
    pv.architecture = model.config().modelType;
    pv.method = norm == MagnitudeNorm::L2Squared ? "magnitude_l2" : "magnitude_l1";
    pv.settings = {{"per_parameter", perParameter}};
    if (nonFinite > 0) {
        pv.settings["non_finite_weights"] = nonFinite;
        pv.settings["non_finite_tensors"] = nonFiniteTensors;
    }
    pv.device = model.device().str();
    pv.dtype = models::dtypeLabel(model.dtype());
    pv.toolVersion = TASKQUANT_VERSION;
    pv.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return SensitivityMap(std::move(entries), std::move(pv));
}

} // namespace taskquant::sensitivity
