#include "core/sensitivity/activation_stats.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/sensitivity/square_sums.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {

namespace {

// Keeps each linear output that needs a gradient (and its input) for the backward pass.
class GradObserver : public models::ForwardObserver {
  public:
    struct Use {
        int weight;
        at::Tensor x, y;
    };
    std::vector<Use> uses;
    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        if (!y.requires_grad())
            return;
        y.retain_grad();
        uses.push_back({w, x.detach(), y});
    }
};

} // namespace

std::map<std::string, std::vector<float>>
elementFisher(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
              uint64_t seed, const JobControl& job) {
    GradObserver obs;
    models::ActivationGradScope grads(model); // output gradients only, no weight .grad
    models::ObserverScope observe(model, obs);
    at::AutoGradMode gradMode(true);
    auto gen = at::detail::createCPUGenerator(seed);
    // Sums accumulate in place in the float vectors returned (one weight-sized float buffer
    // per tensor, no double-precision copy); each chunk's product is computed in double.
    std::map<std::string, std::vector<float>> out;
    std::map<int, at::Tensor> sums; // float views of out's vectors [out, in]
    int64_t positions = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        job.check();
        job.report(double(c) / double(chunks.size()), "per-weight Fisher", c, chunks.size());
        obs.uses.clear();
        const auto ids = at::tensor(chunks[c], at::kLong).view({1, -1}).to(model.device());
        const at::Tensor logp = at::log_softmax(model.logits(ids).to(at::kFloat), -1);
        const int64_t vocab = logp.size(-1);
        const at::Tensor probs = logp.detach().exp().reshape({-1, vocab}).to(at::kDouble).cpu();
        const at::Tensor labels = at::multinomial(probs, 1, true, gen).to(logp.device());
        const at::Tensor total = logp.reshape({-1, vocab}).gather(1, labels).sum();
        total.backward();
        for (const auto& u : obs.uses) {
            const at::Tensor g = u.y.grad();
            if (!g.defined())
                continue;
            const at::Tensor g2 = g.detach().reshape({-1, g.size(-1)}).to(at::kDouble).pow(2);
            const at::Tensor x2 = u.x.reshape({-1, u.x.size(-1)}).to(at::kDouble).pow(2);
            const at::Tensor f = at::matmul(g2.t(), x2).cpu();
            auto it = sums.find(u.weight);
            if (it == sums.end()) {
                auto& v = out[model.parameters()[static_cast<std::size_t>(u.weight)].name];
                v.assign(static_cast<std::size_t>(f.numel()), 0.0f);
                it = sums.emplace(u.weight, at::from_blob(v.data(), f.sizes(), at::kFloat)).first;
            }
            it->second.add_(f.to(at::kFloat));
        }
        positions += static_cast<int64_t>(chunks[c].size());
        obs.uses.clear();
    }
    for (auto& [w, s] : sums)
        s.div_(static_cast<double>(std::max<int64_t>(1, positions)));
    job.report(1.0, "per-weight Fisher", chunks.size(), chunks.size());
    return out;
}

std::map<std::string, std::vector<float>>
columnEnergy(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
             const JobControl& job) {
    SquareSums obs;
    models::ObserverScope observe(model, obs);
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
        const at::Tensor mean = (s / n).to(at::kCPU).to(at::kFloat).contiguous();
        const float* p = mean.data_ptr<float>();
        out[model.parameters()[static_cast<std::size_t>(w)].name].assign(p, p + mean.numel());
    }
    job.report(1.0, "activation statistics", chunks.size(), chunks.size());
    return out;
}

} // namespace taskquant::sensitivity
