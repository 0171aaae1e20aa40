#include "core/eval/activation_stats.h"

#include <ATen/ATen.h>

#include "core/util/error.h"

namespace taskquant::eval {

namespace {

class EnergyObserver : public models::ForwardObserver {
  public:
    std::map<int, at::Tensor> sums; // double [in]
    std::map<int, int64_t> counts;
    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        const at::Tensor xf = x.detach().to(at::kDouble).reshape({-1, x.size(-1)});
        at::Tensor s = xf.pow(2).sum(0).cpu();
        auto it = sums.find(w);
        if (it == sums.end())
            sums.emplace(w, s);
        else
            it->second += s;
        counts[w] += xf.size(0);
    }
};

struct ObserverReset {
    models::CausalLM& m;
    ~ObserverReset() { m.setObserver(nullptr); }
};

} // namespace

std::map<std::string, std::vector<float>> columnEnergy(models::CausalLM& model,
                                                       const std::vector<std::vector<int64_t>>& chunks,
                                                       const JobControl& job) {
    EnergyObserver obs;
    model.setObserver(&obs);
    ObserverReset reset{model};
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        job.check();
        job.report(double(c) / double(chunks.size()), "activation statistics", c, chunks.size());
        at::NoGradGuard noGrad;
        const auto ids = at::tensor(chunks[c], at::kLong).view({1, -1}).to(model.device());
        model.logits(ids);
    }
    std::map<std::string, std::vector<float>> out;
    for (auto& [w, s] : obs.sums) {
        const double n = static_cast<double>(std::max<int64_t>(1, obs.counts[w]));
        const at::Tensor mean = (s / n).to(at::kFloat).contiguous();
        const float* p = mean.data_ptr<float>();
        out[model.parameters()[static_cast<std::size_t>(w)].name].assign(p, p + mean.numel());
    }
    job.report(1.0, "activation statistics", chunks.size(), chunks.size());
    return out;
}

} // namespace taskquant::eval
