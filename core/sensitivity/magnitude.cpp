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
    int64_t done = 0;
    for (const auto& p : ps) {
        job.check();
        ++done;
        const auto& n = p.name;
        if (n.size() <= 7 || n.compare(n.size() - 7, 7, ".weight") != 0) continue;
        auto w = p.tensor.detach().to(at::kDouble);
        double score = norm == MagnitudeNorm::L2Squared ? w.pow(2).sum().item<double>()
                                                        : w.abs().sum().item<double>();
        if (perParameter) score /= static_cast<double>(std::max<int64_t>(1, p.tensor.numel()));
        entries.push_back({n, score, p.tensor.numel(), p.tensor.sizes().vec()});
        job.report(double(done) / double(ps.size()), "magnitude " + n, done,
                   static_cast<long long>(ps.size()));
    }
    Provenance pv;
    pv.architecture = model.config().modelType;
    pv.method = norm == MagnitudeNorm::L2Squared ? "magnitude_l2" : "magnitude_l1";
    pv.settings = {{"per_parameter", perParameter}};
    pv.device = model.device().str();
    pv.dtype = models::dtypeLabel(model.dtype());
    pv.toolVersion = TASKQUANT_VERSION;
    pv.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return SensitivityMap(std::move(entries), std::move(pv));
}

} // namespace taskquant::sensitivity
