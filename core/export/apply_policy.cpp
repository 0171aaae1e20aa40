#include "core/export/apply_policy.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

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

PolicyApplier::PolicyApplier(models::CausalLM& model) : model_(model) {}

PolicyApplier::~PolicyApplier() {
    restore();
}

void PolicyApplier::restore() {
    if (applied_ || !encoded_.empty())
        model_.setWeightSource({});
    encoded_.clear();
    applied_ = false;
}

uint64_t PolicyApplier::encodedBytes() const {
    uint64_t n = 0;
    for (const auto& e : encoded_)
        n += e.bytes.size();
    return n;
}

at::Tensor PolicyApplier::decoded(int index) const {
    if (index < 0 || static_cast<std::size_t>(index) >= encoded_.size())
        return {};
    const Encoded& e = encoded_[static_cast<std::size_t>(index)];
    if (e.bytes.empty())
        return {};
    at::Tensor out = at::empty(e.shape, at::TensorOptions().dtype(at::kFloat));
    quant::decode(e.precision, reinterpret_cast<const uint8_t*>(e.bytes.data()), e.bytes.size(),
                  e.shape, out.data_ptr<float>());
    return model_.device().is_cpu() ? out : out.to(model_.device());
}

at::Tensor PolicyApplier::effectiveWeight(int index) const {
    at::Tensor d = decoded(index);
    if (d.defined())
        return d.cpu();
    return model_.parameters()
        .at(static_cast<std::size_t>(index))
        .tensor.detach()
        .to(at::kCPU, at::kFloat);
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
        encoded_.assign(params.size(), {});
        for (std::size_t i = 0; i < params.size(); ++i) {
            job.check();
            job.report(double(i) / params.size(), "quantizing " + params[i].name, i, params.size());
            const TensorPlan& tp = plan[i];
            if (tp.effective.format == quant::Format::F32)
                continue; // the model's own tensor
            // One tensor in fp32 at a time (a view when the parameter already is one).
            const at::Tensor src = params[i].tensor.detach().to(at::kCPU, at::kFloat).contiguous();
            const float* w = importance ? importance(params[i].name) : nullptr;
            Encoded& e = encoded_[i];
            e.precision = tp.effective;
            e.shape = tp.shape;
            try {
                e.bytes = quant::encode(tp.effective, src.data_ptr<float>(), tp.shape, 0, w);
            } catch (const Error& err) {
                throw Error(tp.name + ": " + err.what());
            }
            // the forward passes read the encoded tensor, not this one
            model_.releasePages(static_cast<int>(i));
        }
    } catch (...) {
        restore();
        throw;
    }
    model_.setWeightSource([this](int index) { return decoded(index); });
    applied_ = true;
    job.report(1.0, "policy applied", params.size(), params.size());
    return plan;
}

} // namespace taskquant::exporting
