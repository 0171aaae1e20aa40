#include "core/models/causal_lm.h"

#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/custom_function.h>

#include "core/quant/codec.h"
#include "core/util/error.h"
#include "core/util/memory.h"

namespace taskquant::models {

int CausalLM::parameterIndex(const std::string& name) const {
    return indexOf(name);
}

int CausalLM::indexOf(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
}

at::Tensor& CausalLM::param(const std::string& name) {
    auto it = index_.find(name);
    if (it == index_.end())
        throw Error("internal: parameter " + name + " not loaded");
    return params_[it->second].tensor;
}

int64_t CausalLM::parameterCount() const {
    int64_t n = 0;
    for (const auto& p : params_)
        n += p.tensor.numel();
    return n;
}

void CausalLM::setRequiresGrad(bool on) {
    for (auto& p : params_)
        p.tensor.requires_grad_(on);
}

void CausalLM::zeroGrad() {
    for (auto& p : params_) {
        if (p.tensor.grad().defined())
            p.tensor.mutable_grad() = at::Tensor();
    }
}

namespace {

// y = x W^T with W's rows taken `step` at a time from rowsOf(first, count), each cast to x's
// dtype: one block of W in the compute dtype at a time, never the whole matrix.
at::Tensor linearInBlocks(const at::Tensor& x, int64_t rows, int64_t step,
                          const std::function<at::Tensor(int64_t, int64_t)>& rowsOf) {
    std::vector<at::Tensor> parts;
    for (int64_t first = 0; first < rows; first += step)
        parts.push_back(
            at::linear(x, rowsOf(first, std::min(step, rows - first)).to(x.scalar_type())));
    return at::cat(parts, -1);
}

// y = x W^T with W stored in a narrower dtype than x: W is cast for the product and again for
// the backward pass, so autograd keeps the stored W (often the mapped file) and never the cast
// copy. For weights that need no gradient. step > 0: W is cast and used step rows at a time
// (CausalLM::rowBlock: a large vocabulary's lm_head), never as a whole cast copy.
struct CastLinear : public torch::autograd::Function<CastLinear> {
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x,
                              const at::Tensor& w, int64_t step) {
        ctx->save_for_backward({w});
        ctx->saved_data["step"] = step;
        if (step <= 0 || step >= w.size(0))
            return at::linear(x, w.to(x.scalar_type()));
        return linearInBlocks(x, w.size(0), step,
                              [&](int64_t first, int64_t n) { return w.narrow(0, first, n); });
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        const at::Tensor w = ctx->get_saved_variables()[0];
        const at::Tensor& g = grads[0];
        const int64_t step = ctx->saved_data["step"].toInt();
        if (step <= 0 || step >= w.size(0))
            return {at::matmul(g, w.to(g.scalar_type())), at::Tensor(), at::Tensor()};
        at::Tensor gx;
        for (int64_t first = 0; first < w.size(0); first += step) {
            const int64_t n = std::min(step, w.size(0) - first);
            const at::Tensor part =
                at::matmul(g.narrow(-1, first, n), w.narrow(0, first, n).to(g.scalar_type()));
            gx = gx.defined() ? gx.add_(part) : part;
        }
        return {gx, at::Tensor(), at::Tensor()};
    }
};

} // namespace

at::Tensor CausalLM::computeWeight(int index) const {
    at::Tensor w;
    if (weightSource_)
        w = weightSource_(index);
    if (!w.defined())
        w = params_[index].tensor;
    if (w.scalar_type() != dtype_ && at::isFloatingType(w.scalar_type()))
        return w.to(dtype_);
    return w;
}

uint64_t CausalLM::storedBytes() const {
    uint64_t n = 0;
    for (const auto& p : params_)
        n += static_cast<uint64_t>(p.tensor.numel()) * p.tensor.element_size();
    return n;
}

void CausalLM::releasePages(int index) const {
    if (!releasePages_ || index < 0 || std::size_t(index) >= params_.size())
        return;
    const auto& p = params_[std::size_t(index)];
    if (p.mapped && p.tensor.defined() && p.tensor.device().is_cpu())
        pageOut(p.tensor.data_ptr(), static_cast<uint64_t>(p.tensor.nbytes()));
}

int64_t CausalLM::rowBlock(int index) const {
    if (index < 0 || std::size_t(index) >= params_.size())
        return 0;
    const at::Tensor& t = params_[std::size_t(index)].tensor;
    if (!t.defined() || t.dim() != 2 || t.numel() < blockedWeightValues_)
        return 0;
    return quant::rowsPerBlock(t.size(0), t.size(1), weightBlockValues_);
}

bool CausalLM::usesBlocks(int index, const at::Tensor& x) const {
    if (!rowBlock(index))
        return false;
    const at::Tensor& p = params_[std::size_t(index)].tensor;
    if (at::GradMode::is_enabled() && (x.requires_grad() || p.requires_grad()))
        return false; // a backward pass needs the whole weight (CastLinear)
    if (weightSource_)
        return static_cast<bool>(weightRowsSource_);
    return p.scalar_type() != dtype_ && at::isFloatingType(p.scalar_type());
}

at::Tensor CausalLM::weightRows(int index, int64_t first, int64_t count) const {
    at::Tensor w;
    if (weightRowsSource_)
        w = weightRowsSource_(index, first, count);
    if (!w.defined())
        w = params_[std::size_t(index)].tensor.narrow(0, first, count);
    return w.scalar_type() != dtype_ && at::isFloatingType(w.scalar_type()) ? w.to(dtype_) : w;
}

at::Tensor CausalLM::linear(const at::Tensor& input, int weight, int bias) const {
    const at::Tensor x = linearInput_ ? linearInput_(weight, input) : input;
    if (usesBlocks(weight, x)) {
        // block by block over the output features (a large vocabulary's lm_head): one block of
        // the weight in the compute dtype at a time, never the whole matrix
        at::Tensor y =
            linearInBlocks(x, params_[std::size_t(weight)].tensor.size(0), rowBlock(weight),
                           [&](int64_t first, int64_t n) { return weightRows(weight, first, n); });
        if (bias >= 0)
            y = y + computeWeight(bias);
        if (observer_)
            observer_->linear(weight, bias, x, y);
        return y;
    }
    at::Tensor w;
    if (weightSource_)
        w = weightSource_(weight);
    if (!w.defined())
        w = params_[weight].tensor;
    const at::Tensor b = bias >= 0 ? computeWeight(bias) : at::Tensor();
    at::Tensor y;
    if (w.scalar_type() == x.scalar_type() || !at::isFloatingType(w.scalar_type())) {
        y = b.defined() ? at::linear(x, w, b) : at::linear(x, w);
    } else if (at::GradMode::is_enabled() && x.requires_grad() && !w.requires_grad()) {
        y = CastLinear::apply(x, w, rowBlock(weight)); // the stored weight kept for backward
        if (b.defined())
            y = y + b;
    } else {
        const at::Tensor wc = w.to(x.scalar_type());
        y = b.defined() ? at::linear(x, wc, b) : at::linear(x, wc);
    }
    if (observer_)
        observer_->linear(weight, bias, x, y);
    return y;
}

at::Tensor CausalLM::norm(const at::Tensor& xhat, int weight, int bias) const {
    auto y = xhat * computeWeight(weight);
    if (bias >= 0)
        y = y + computeWeight(bias);
    if (observer_)
        observer_->norm(weight, bias, xhat, y);
    return y;
}

at::Tensor CausalLM::forward(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                             KVCache* cache) {
    if (inputIds.dim() != 2 || inputIds.scalar_type() != at::kLong)
        throw Error("input ids must be a [batch, tokens] int64 tensor");
    const int64_t B = inputIds.size(0), T = inputIds.size(1);
    if (B == 0 || T == 0)
        throw Error("empty input batch");
    auto ids = inputIds.to(device_);
    const at::Tensor embedded = embed(ids); // checks the ids before the cache changes
    auto mask = attentionMask.defined() ? attentionMask.to(device_, at::kLong)
                                        : at::ones({B, T}, ids.options());
    if (mask.sizes() != ids.sizes())
        throw Error("attention mask shape differs from input ids");

    at::Tensor start = at::zeros({B}, ids.options());
    at::Tensor fullMask = mask;
    int64_t past = 0;
    if (cache && cache->mask.defined()) {
        start = cache->nextPosition;
        past = cache->mask.size(1);
        fullMask = at::cat({cache->mask, mask}, 1);
    }
    auto positions = (start.unsqueeze(1) + mask.cumsum(1) - 1).clamp_min(0);
    const int64_t S = past + T;
    auto allowed =
        causalAllowed(past, T).view({1, 1, T, S}).logical_and(fullMask.view({B, 1, 1, S}).ne(0));
    if (cache) {
        cache->mask = fullMask;
        cache->nextPosition = start + mask.sum(1);
    }

    auto hidden = decoderLayers(embedded, positions, allowed, cache, 0, config_.numLayers);
    return head(hidden);
}

CausalLM::Segments CausalLM::segments(const at::Tensor& inputIds) const {
    if (inputIds.dim() != 2 || inputIds.scalar_type() != at::kLong || inputIds.numel() == 0)
        throw Error("input ids must be a non-empty [batch, tokens] int64 tensor");
    const int64_t B = inputIds.size(0), T = inputIds.size(1);
    const auto opts = at::TensorOptions().dtype(at::kLong).device(device_);
    Segments s;
    s.positions = at::arange(0, T, opts).view({1, T}).expand({B, T});
    s.allowed = causalAllowed(0, T).view({1, 1, T, T}).expand({B, 1, T, T});
    return s;
}

at::Tensor CausalLM::causalAllowed(int64_t past, int64_t T) const {
    const int64_t S = past + T;
    const auto opts = at::TensorOptions().dtype(at::kLong).device(device_);
    auto qIndex = at::arange(past, S, opts).view({T, 1});
    auto kIndex = at::arange(0, S, opts).view({1, S});
    auto allowed = kIndex.le(qIndex);
    if (config_.slidingWindow > 0)
        allowed = allowed.logical_and((qIndex - kIndex).lt(config_.slidingWindow));
    return allowed;
}

at::Tensor CausalLM::embed(const at::Tensor& inputIds) {
    const auto ids = inputIds.to(device_);
    if (ids.numel() &&
        (ids.min().item<int64_t>() < 0 || ids.max().item<int64_t>() >= config_.vocabSize))
        throw Error("token id outside the vocabulary (0.." + std::to_string(config_.vocabSize - 1) +
                    ")");
    at::Tensor hidden;
    if (weightSource_ && weightRowsSource_ && rowBlock(embedIndex_) && ids.numel()) {
        // only the blocks of rows that hold the tokens are built (a large vocabulary's embedding
        // under a policy: one block in fp32 at a time)
        const auto [unique, inverse] = at::_unique(ids.flatten().cpu(), true, true);
        const int64_t step = rowBlock(embedIndex_);
        const int64_t vocabRows = params_[std::size_t(embedIndex_)].tensor.size(0);
        std::vector<at::Tensor> rows;
        const int64_t* u = unique.data_ptr<int64_t>();
        for (int64_t i = 0, n = unique.numel(); i < n;) {
            const int64_t first = u[i] / step * step;
            const int64_t count = std::min(step, vocabRows - first);
            int64_t j = i;
            while (j < n && u[j] < first + count)
                ++j;
            const at::Tensor block = weightRows(embedIndex_, first, count);
            rows.push_back(
                block.index_select(0, (unique.narrow(0, i, j - i) - first).to(block.device())));
            i = j;
        }
        auto shape = ids.sizes().vec();
        shape.push_back(rows.front().size(1));
        hidden = at::cat(rows, 0).index_select(0, inverse.to(device_)).view(shape);
    } else {
        at::Tensor table;
        if (weightSource_)
            table = weightSource_(embedIndex_);
        if (!table.defined())
            table = params_[embedIndex_].tensor;
        // Rows are looked up in the stored dtype and only they are cast.
        hidden = at::embedding(table, ids);
    }
    if (hidden.scalar_type() != dtype_)
        hidden = hidden.to(dtype_);
    if (activationGrads_ && at::GradMode::is_enabled())
        hidden = hidden.detach().requires_grad_(true);
    if (observer_)
        observer_->embedding(embedIndex_, ids, hidden);
    return hidden;
}

at::Tensor CausalLM::layers(const at::Tensor& hidden, const Segments& s, int64_t first,
                            int64_t end) {
    if (first < 0 || end > config_.numLayers || first > end)
        throw Error("internal: layer range outside the model");
    return decoderLayers(hidden, s.positions, s.allowed, nullptr, first, end);
}

at::Tensor CausalLM::head(const at::Tensor& hidden) {
    return linear(finalNorm(hidden), lmHeadIndex_, lmHeadBiasIndex_);
}

at::Tensor CausalLM::logits(const at::Tensor& inputIds, const at::Tensor& attentionMask) {
    return forward(inputIds, attentionMask, nullptr);
}

at::Tensor CausalLM::lossFromLogits(const at::Tensor& logits, const at::Tensor& inputIds,
                                    const at::Tensor& attentionMask) {
    const int64_t B = logits.size(0), T = logits.size(1);
    if (T < 2)
        return at::full({B}, std::nan(""), logits.options().dtype(at::kFloat));
    auto ids = inputIds.to(logits.device());
    auto mask = attentionMask.defined() ? attentionMask.to(logits.device(), at::kFloat)
                                        : at::ones({B, T}, logits.options().dtype(at::kFloat));
    auto lf = logits.narrow(1, 0, T - 1).to(at::kFloat);
    auto target = ids.narrow(1, 1, T - 1).unsqueeze(-1);
    auto nll = at::logsumexp(lf, -1) - lf.gather(-1, target).squeeze(-1); // [B, T-1]
    auto valid = mask.narrow(1, 0, T - 1) * mask.narrow(1, 1, T - 1);
    return (nll * valid).sum(1) / valid.sum(1);
}

at::Tensor CausalLM::perSampleLoss(const at::Tensor& inputIds, const at::Tensor& attentionMask) {
    return lossFromLogits(logits(inputIds, attentionMask), inputIds, attentionMask);
}

std::vector<int64_t> CausalLM::generate(const std::vector<int64_t>& prompt, int64_t maxNewTokens,
                                        const std::vector<int64_t>& stopIds,
                                        const JobControl& job) {
    if (prompt.empty())
        throw Error("generation needs at least one prompt token");
    at::NoGradGuard noGrad;
    KVCache cache;
    auto ids = at::tensor(prompt, at::kLong).view({1, -1}).to(device_);
    std::vector<int64_t> out;
    for (int64_t step = 0; step < maxNewTokens; ++step) {
        job.check();
        auto lg = forward(ids, at::Tensor(), &cache);
        const int64_t next = lg.select(1, lg.size(1) - 1).to(at::kFloat).argmax(-1).item<int64_t>();
        out.push_back(next);
        job.report(double(step + 1) / double(maxNewTokens), "generating", step + 1, maxNewTokens);
        if (std::find(stopIds.begin(), stopIds.end(), next) != stopIds.end())
            break;
        ids = at::full({1, 1}, next, at::TensorOptions().dtype(at::kLong).device(device_));
    }
    return out;
}

} // namespace taskquant::models
