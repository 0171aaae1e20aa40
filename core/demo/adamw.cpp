#include "core/demo/adamw.h"

#include <cmath>

#include "core/util/error.h"

namespace taskquant::demo {

AdamW::AdamW(std::vector<at::Tensor> params, std::vector<bool> decay, AdamWOptions options)
    : params_(std::move(params)), decay_(std::move(decay)), o_(options) {
    if (decay_.size() != params_.size())
        throw Error("AdamW: one decay flag per parameter needed");
    for (const auto& p : params_) {
        m_.push_back(at::zeros(p.sizes(), p.options().dtype(at::kFloat)));
        v_.push_back(at::zeros(p.sizes(), p.options().dtype(at::kFloat)));
    }
}

double AdamW::clipGradNorm(double maxNorm) {
    at::NoGradGuard noGrad;
    double sq = 0;
    for (const auto& p : params_)
        if (p.grad().defined())
            sq += p.grad().to(at::kDouble).pow(2).sum().item<double>();
    const double norm = std::sqrt(sq);
    if (maxNorm > 0 && norm > maxNorm && std::isfinite(norm)) {
        const double scale = maxNorm / (norm + 1e-6);
        for (auto& p : params_)
            if (p.grad().defined())
                p.mutable_grad().mul_(scale);
    }
    return norm;
}

void AdamW::step(double lr) {
    at::NoGradGuard noGrad;
    ++t_;
    const double bc1 = 1.0 - std::pow(o_.beta1, double(t_));
    const double bc2 = 1.0 - std::pow(o_.beta2, double(t_));
    for (std::size_t i = 0; i < params_.size(); ++i) {
        auto& p = params_[i];
        if (!p.grad().defined())
            continue;
        const auto g = p.grad().to(at::kFloat);
        m_[i].mul_(o_.beta1).add_(g, 1.0 - o_.beta1);
        v_[i].mul_(o_.beta2).addcmul_(g, g, 1.0 - o_.beta2);
        if (decay_[i] && o_.weightDecay > 0)
            p.mul_(1.0 - lr * o_.weightDecay);
        const auto denom = (v_[i] / bc2).sqrt_().add_(o_.eps);
        p.add_((m_[i] / bc1 / denom).to(p.scalar_type()), -lr);
    }
}

double cosineLearningRate(int64_t step, int64_t total, int64_t warmup, double peak, double minLr) {
    if (warmup > 0 && step < warmup)
        return peak * double(step + 1) / double(warmup);
    const int64_t span = std::max<int64_t>(1, total - 1 - warmup);
    const double progress = std::min(1.0, double(step - warmup) / double(span));
    return minLr + 0.5 * (peak - minLr) * (1.0 + std::cos(M_PI * progress));
}

} // namespace taskquant::demo
