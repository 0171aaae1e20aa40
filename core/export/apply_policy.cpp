#include "core/export/apply_policy.h"

#include <set>

#include "core/quant/codec.h"
#include "core/quant/fallback.h"
#include "core/util/error.h"
#include "core/util/nearest_names.h"
#include "core/util/shape.h"

namespace taskquant::exporting {

quant::Precision fitPrecision(const quant::Precision& requested, const std::vector<int64_t>& shape,
                              std::string* note) {
    std::string why;
    const quant::Precision p =
        quant::llamaFallback(requested, shape.empty() ? 1 : shape.back(), &why);
    if (note)
        *note = why;
    return p;
}

void checkOverridesExist(const policy::Policy& policy, const std::vector<std::string>& tensorNames,
                         const std::string& modelName) {
    const std::set<std::string> known(tensorNames.begin(), tensorNames.end());
    for (const auto& [name, precision] : policy.overrides)
        if (!known.count(name))
            throw Error("the policy's override \"" + name + "\" names no tensor of " + modelName +
                        " (nearest: " + nearestNamesText(name, tensorNames) + ")");
}

std::vector<TensorPlan> planPolicy(const policy::Policy& policy,
                                   const std::vector<NamedShape>& tensors) {
    std::vector<TensorPlan> out;
    out.reserve(tensors.size());
    for (const NamedShape& t : tensors) {
        TensorPlan p;
        p.name = t.name;
        p.shape = t.shape;
        p.requested = policy.precisionFor(t.name);
        p.effective = fitPrecision(p.requested, t.shape, &p.note);
        if (!p.note.empty())
            p.note = t.name + ": " + p.note;
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<NamedShape> parameterShapes(const models::CausalLM& model) {
    std::vector<NamedShape> out;
    for (const models::NamedParameter& p : model.parameters())
        out.push_back({p.name, p.tensor.sizes().vec()});
    return out;
}

std::vector<float> applyPlan(const TensorPlan& plan, const float* data, const float* importance) {
    if (plan.effective.format == quant::Format::F32)
        return std::vector<float>(data, data + checkedNumel(plan.shape));
    try {
        return quant::fakeQuantize(plan.effective, data, plan.shape, 0, importance);
    } catch (const Error& e) {
        throw Error(plan.name + ": " + e.what());
    }
}

PolicyApplier::PolicyApplier(models::CausalLM& model) : model_(model) {
    at::NoGradGuard noGrad;
    for (const models::NamedParameter& p : model_.parameters())
        originals_.push_back(p.tensor.detach().clone());
}

void PolicyApplier::restore() {
    at::NoGradGuard noGrad;
    const auto& params = model_.parameters();
    for (std::size_t i = 0; i < params.size(); ++i)
        params[i].tensor.detach().copy_(originals_[i]);
    applied_ = false;
}

std::vector<TensorPlan> PolicyApplier::apply(const policy::Policy& policy, const JobControl& job,
                                             const quant::ImportanceLookup& importance) {
    restore();
    // A tied model whose checkpoint stores the embedding only as lm_head.weight: a policy made
    // for the file (policy --method optimal --model, the exporters) names that tensor
    // lm_head.weight; the loaded model calls the one matrix model.embed_tokens.weight.
    policy::Policy named = policy;
    if (model_.config().tieWordEmbeddings && !named.overrides.count("model.embed_tokens.weight"))
        if (auto it = named.overrides.find("lm_head.weight"); it != named.overrides.end())
            named.overrides["model.embed_tokens.weight"] = it->second;
    const std::vector<TensorPlan> plan = planPolicy(named, parameterShapes(model_));
    at::NoGradGuard noGrad;
    const auto& params = model_.parameters();
    try {
        for (std::size_t i = 0; i < params.size(); ++i) {
            job.check();
            job.report(double(i) / params.size(), "quantizing " + params[i].name, i, params.size());
            const TensorPlan& tp = plan[i];
            if (tp.effective.format == quant::Format::F32)
                continue; // originals are already in place
            at::Tensor src = originals_[i].to(at::kCPU, at::kFloat).contiguous();
            const float* w = importance ? importance(params[i].name) : nullptr;
            std::vector<float> q = applyPlan(tp, src.data_ptr<float>(), w);
            at::Tensor qt = at::from_blob(q.data(), src.sizes(), at::kFloat);
            params[i].tensor.detach().copy_(
                qt.to(params[i].tensor.device(), params[i].tensor.scalar_type()));
        }
    } catch (...) {
        restore();
        throw;
    }
    applied_ = true;
    job.report(1.0, "policy applied", params.size(), params.size());
    return plan;
}

} // namespace taskquant::exporting
