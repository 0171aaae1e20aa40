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
        for (const auto& b : e.blocks)
            n += b.size();
    return n;
}

at::Tensor PolicyApplier::decoded(int index) const {
    if (index < 0 || static_cast<std::size_t>(index) >= encoded_.size() ||
        encoded_[static_cast<std::size_t>(index)].blocks.empty())
        return {};
    const Encoded& e = encoded_[static_cast<std::size_t>(index)];
    return decodedRows(index, 0, e.blocks.size() > 1 ? e.shape[0] : -1);
}

// count < 0: the whole tensor in its own shape (one block)
at::Tensor PolicyApplier::decodedRows(int index, int64_t first, int64_t count) const {
    if (index < 0 || static_cast<std::size_t>(index) >= encoded_.size())
        return {};
    const Encoded& e = encoded_[static_cast<std::size_t>(index)];
    if (e.blocks.empty())
        return {};
    auto decodeInto = [&](std::size_t b, const std::vector<int64_t>& shape, float* out) {
        quant::decode(e.precision, reinterpret_cast<const uint8_t*>(e.blocks[b].data()),
                      e.blocks[b].size(), shape, out);
    };
    const auto options = at::TensorOptions().dtype(at::kFloat);
    at::Tensor out;
    if (count < 0) {
        out = at::empty(e.shape, options);
        decodeInto(0, e.shape, out.data_ptr<float>());
    } else {
        // the blocks that overlap [first, first + count): straight into the output when a block
        // lies inside it, else through one block's buffer
        const int64_t cols = e.shape[1], rows = e.shape[0];
        out = at::empty({count, cols}, options);
        for (int64_t b = first / e.blockRows; b * e.blockRows < first + count; ++b) {
            const int64_t start = b * e.blockRows, n = std::min(e.blockRows, rows - start);
            const int64_t from = std::max(first, start), to = std::min(first + count, start + n);
            if (from == start && to == start + n) {
                decodeInto(std::size_t(b), {n, cols},
                           out.data_ptr<float>() + (start - first) * cols);
            } else {
                std::vector<float> block(static_cast<std::size_t>(n * cols));
                decodeInto(std::size_t(b), {n, cols}, block.data());
                std::copy(block.begin() + (from - start) * cols,
                          block.begin() + (to - start) * cols,
                          out.data_ptr<float>() + (from - first) * cols);
            }
        }
    }
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
            // One tensor in fp32 at a time (a view when the parameter already is one); a large
            // weight one block of rows at a time, each encoded on its own (CausalLM::rowBlock)
            const at::Tensor param = params[i].tensor.detach();
            const float* w = importance ? importance(params[i].name) : nullptr;
            Encoded& e = encoded_[i];
            e.precision = tp.effective;
            e.shape = tp.shape;
            const int64_t rows = tp.shape.size() == 2 ? tp.shape[0] : 0;
            const int64_t step = model_.rowBlock(static_cast<int>(i));
            e.blockRows = step > 0 && step < rows ? step : rows;
            auto encodeRows = [&](const at::Tensor& values, const std::vector<int64_t>& shape) {
                const at::Tensor src = values.to(at::kCPU, at::kFloat).contiguous();
                e.blocks.push_back(quant::encode(tp.effective, src.data_ptr<float>(), shape, 0, w));
            };
            try {
                if (e.blockRows == rows) {
                    encodeRows(param, tp.shape);
                } else {
                    for (int64_t first = 0; first < rows; first += e.blockRows) {
                        const int64_t n = std::min(e.blockRows, rows - first);
                        encodeRows(param.narrow(0, first, n), {n, tp.shape[1]});
                    }
                }
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
    model_.setWeightRowsSource([this](int index, int64_t first, int64_t count) {
        return decodedRows(index, first, count);
    });
    applied_ = true;
    job.report(1.0, "policy applied", params.size(), params.size());
    return plan;
}

} // namespace taskquant::exporting
