// Per-sample squared gradient norms of every weight tensor: the study's one-sample loop, and the
// exact batched computation from layer inputs and output gradients (see fisher.h).
#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <algorithm>
#include <map>
#include <numeric>
#include <torch/csrc/autograd/autograd.h>

#include "core/models/causal_lm.h"
#include "core/sensitivity/fisher.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {

namespace {

using models::CausalLM;

std::vector<int> scoredTensors(const CausalLM& model) {
    std::vector<int> out;
    const auto& ps = model.parameters();
    for (int i = 0; i < static_cast<int>(ps.size()); ++i) {
        const auto& n = ps[i].name;
        if (n.size() > 7 && n.compare(n.size() - 7, 7, ".weight") == 0)
            out.push_back(i);
    }
    return out;
}

// Records what the batched computation needs during one forward pass.
class Recorder : public models::ForwardObserver {
  public:
    struct Use {
        enum Kind { Linear, Embedding, Norm } kind;
        int weight;
        at::Tensor input; // linear: x; embedding: ids; norm: xhat (detached)
        at::Tensor output;
    };
    std::vector<Use> uses;

    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        uses.push_back({Use::Linear, w, x.detach(), y});
    }
    void embedding(int w, const at::Tensor& ids, const at::Tensor& y) override {
        uses.push_back({Use::Embedding, w, ids, y});
    }
    void norm(int w, int, const at::Tensor& xhat, const at::Tensor& y) override {
        uses.push_back({Use::Norm, w, xhat.detach(), y});
    }
};

// ||G_i^T A_i||_F^2 per sample, by the ghost-norm identity or the direct product.
at::Tensor linearSquaredNorms(const at::Tensor& a, const at::Tensor& g) {
    const int64_t T = a.size(1), in = a.size(2), out = g.size(2);
    auto af = a.to(at::kFloat), gf = g.to(at::kFloat);
    if (T * (in + out) < in * out) {
        auto aa = at::matmul(af, af.transpose(1, 2));
        auto gg = at::matmul(gf, gf.transpose(1, 2));
        return (aa * gg).sum({1, 2}, false, at::kDouble);
    }
    auto p = at::matmul(gf.transpose(1, 2), af); // [B, out, in]
    return p.pow(2).sum({1, 2}, false, at::kDouble);
}

// Per-sample embedding gradient: row v gets the sum of g_t over positions with ids_t == v.
at::Tensor embeddingSquaredNorms(const at::Tensor& ids, const at::Tensor& g) {
    auto gf = g.to(at::kFloat);
    auto same = ids.unsqueeze(2).eq(ids.unsqueeze(1)).to(at::kFloat);
    return (at::matmul(gf, gf.transpose(1, 2)) * same).sum({1, 2}, false, at::kDouble);
}

// <E_i, L_i> for a weight used as embedding (E) and as output projection (L = G^T H).
at::Tensor tiedCrossTerm(const at::Tensor& ids, const at::Tensor& gEmbed, const at::Tensor& h,
                         const at::Tensor& gHead) {
    const int64_t B = ids.size(0), T = ids.size(1);
    auto m = gHead.to(at::kFloat).gather(2, ids.unsqueeze(1).expand({B, T, T}));  // [B, s, t]
    auto p = at::matmul(h.to(at::kFloat), gEmbed.to(at::kFloat).transpose(1, 2)); // [B, s, t]
    return (m * p).sum({1, 2}, false, at::kDouble);
}

void batchNorms(CausalLM& model, const std::vector<std::vector<int64_t>>& samples,
                const std::vector<std::size_t>& batch, const std::vector<int>& tensors,
                SampleNorms& out, const std::vector<std::size_t>& slot) {
    int64_t T = 0;
    for (auto i : batch)
        T = std::max<int64_t>(T, static_cast<int64_t>(samples[i].size()));
    const int64_t B = static_cast<int64_t>(batch.size());
    auto ids = at::zeros({B, T}, at::kLong);
    auto mask = at::zeros({B, T}, at::kLong);
    for (int64_t b = 0; b < B; ++b) {
        const auto& s = samples[batch[b]];
        if (s.empty())
            continue;
        ids[b].narrow(0, 0, s.size()).copy_(at::tensor(s, at::kLong));
        mask[b].narrow(0, 0, s.size()).fill_(1);
    }
    Recorder rec;
    at::Tensor losses;
    {
        models::ObserverScope observe(model, rec);
        losses = model.perSampleLoss(ids, mask);
    }
    auto finite = at::isfinite(losses);
    auto finiteHost = finite.cpu();
    if (!finiteHost.any().item<bool>())
        return; // all skipped
    auto total = at::where(finite, losses, at::zeros_like(losses)).sum();
    std::vector<at::Tensor> outputs;
    for (const auto& u : rec.uses)
        outputs.push_back(u.output);
    auto grads = torch::autograd::grad({total}, outputs, {}, false, false, true);

    std::map<int, int> column; // parameter index -> position in tensors
    for (std::size_t c = 0; c < tensors.size(); ++c)
        column[tensors[c]] = static_cast<int>(c);
    std::vector<at::Tensor> acc(tensors.size());
    auto add = [&](int w, const at::Tensor& v) {
        auto it = column.find(w);
        if (it == column.end())
            return;
        auto& a = acc[it->second];
        a = a.defined() ? a + v : v;
    };
    std::map<int, std::vector<std::size_t>> usesOf;
    for (std::size_t k = 0; k < rec.uses.size(); ++k)
        usesOf[rec.uses[k].weight].push_back(k);
    for (std::size_t k = 0; k < rec.uses.size(); ++k) {
        const auto& u = rec.uses[k];
        const auto& g = grads[k];
        if (!g.defined())
            continue;
        at::Tensor sq;
        switch (u.kind) {
        case Recorder::Use::Linear:
            sq = linearSquaredNorms(u.input, g);
            break;
        case Recorder::Use::Embedding:
            sq = embeddingSquaredNorms(u.input, g);
            break;
        case Recorder::Use::Norm:
            sq = (g.to(at::kFloat) * u.input.to(at::kFloat))
                     .sum(1)
                     .pow(2)
                     .sum(1, false, at::kDouble);
            break;
        }
        add(u.weight, sq);
    }
    // A weight used twice (tied input embedding and lm_head): add 2 <E, L>.
    for (const auto& [w, ks] : usesOf) {
        if (ks.size() < 2)
            continue;
        const Recorder::Use* emb = nullptr;
        const Recorder::Use* head = nullptr;
        std::size_t ke = 0, kh = 0;
        for (auto k : ks) {
            if (rec.uses[k].kind == Recorder::Use::Embedding)
                emb = &rec.uses[k], ke = k;
            else if (rec.uses[k].kind == Recorder::Use::Linear)
                head = &rec.uses[k], kh = k;
        }
        if (ks.size() != 2 || !emb || !head)
            throw Error("batched Fisher: parameter " + model.parameters()[w].name +
                        " is shared in a way only --exact-loop supports");
        if (!grads[ke].defined() || !grads[kh].defined())
            continue;
        add(w, 2.0 * tiedCrossTerm(emb->input, grads[ke], head->input, grads[kh]));
    }
    std::vector<at::Tensor> cols;
    for (auto& a : acc)
        cols.push_back(a.defined() ? a.cpu() : at::zeros({B}, at::kDouble));
    auto m = at::stack(cols, 1).contiguous(); // [B, tensors]
    auto acc2 = m.accessor<double, 2>();
    auto fin = finiteHost.accessor<bool, 1>();
    for (int64_t b = 0; b < B; ++b) {
        if (!fin[b])
            continue;
        std::vector<double> row(tensors.size());
        bool ok = true;
        for (std::size_t c = 0; c < tensors.size(); ++c) {
            row[c] = acc2[b][c];
            ok = ok && std::isfinite(row[c]);
        }
        if (ok)
            out.sq[slot[b]] = std::move(row);
    }
}

} // namespace

SampleNorms sampleGradientNorms(CausalLM& model, const std::vector<std::vector<int64_t>>& samples,
                                const std::vector<std::size_t>& which, bool exactLoop,
                                int64_t batchSize, const JobControl& job) {
    SampleNorms out;
    out.tensors = scoredTensors(model);
    out.sq.assign(which.size(), {});
    out.tokens.assign(which.size(), 0);
    for (std::size_t k = 0; k < which.size(); ++k)
        out.tokens[k] = static_cast<int64_t>(samples.at(which[k]).size());
    at::AutoGradMode grad(true);
    int64_t done = 0;
    const int64_t total = static_cast<int64_t>(which.size());
    if (exactLoop) {
        // Gradients and requires_grad are cleared on every exit, a cancel or an error included.
        models::RequiresGradScope training(model, /*zeroGradsOnExit=*/true);
        for (std::size_t k = 0; k < which.size(); ++k) {
            job.check();
            const auto& s = samples[which[k]];
            model.zeroGrad();
            if (s.size() >= 2) {
                auto loss = model.perSampleLoss(at::tensor(s, at::kLong).view({1, -1}));
                if (std::isfinite(loss.item<double>())) {
                    loss.sum().backward();
                    std::vector<double> row;
                    bool ok = true;
                    for (int idx : out.tensors) {
                        const auto& g = model.parameters()[idx].tensor.grad();
                        const double v =
                            g.defined() ? g.to(at::kFloat).pow(2).sum(at::kDouble).item<double>()
                                        : 0.0;
                        ok = ok && std::isfinite(v);
                        row.push_back(v);
                    }
                    if (ok)
                        out.sq[k] = std::move(row);
                }
            }
            ++done;
            job.report(double(done) / double(total), "fisher (loop)", done, total);
        }
        return out;
    }
    // Activation gradients only: no parameter requires grad, so no weight gradient (.grad) is
    // ever allocated and autograd keeps no weight-sized buffer (off again on every exit).
    models::ActivationGradScope training(model);
    // Batched: group samples of similar length to limit padding.
    std::vector<std::size_t> order(which.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return samples[which[a]].size() > samples[which[b]].size();
    });
    int64_t maxLen = 1;
    for (auto i : which)
        maxLen = std::max<int64_t>(maxLen, samples[i].size());
    const int64_t bs = batchSize > 0 ? batchSize : automaticBatchSize(model, maxLen);
    for (std::size_t start = 0; start < order.size(); start += static_cast<std::size_t>(bs)) {
        job.check();
        std::vector<std::size_t> batch, slot;
        for (std::size_t k = start;
             k < std::min(order.size(), start + static_cast<std::size_t>(bs)); ++k) {
            if (samples[which[order[k]]].size() < 2)
                continue; // skipped: no next-token target
            batch.push_back(which[order[k]]);
            slot.push_back(order[k]);
        }
        if (!batch.empty())
            batchNorms(model, samples, batch, out.tensors, out, slot);
        done = static_cast<int64_t>(std::min(order.size(), start + static_cast<std::size_t>(bs)));
        job.report(double(done) / double(total), "fisher (batched)", done, total);
    }
    return out;
}

int64_t automaticBatchSize(const CausalLM& model, int64_t maxTokens) {
    const auto& c = model.config();
    // Activation bytes per token kept for the backward pass (rough upper bound): the logits and
    // their fp32 copies, and per layer the block activations and the attention probabilities.
    const double elem = 4.0;
    const double perToken =
        elem * (4.0 * c.vocabSize + c.numLayers * (16.0 * c.hiddenSize + 4.0 * c.intermediateSize +
                                                   3.0 * c.numHeads * maxTokens));
    const double budget = model.device().is_cpu() ? 2.0e9 : 16.0e9;
    const double perSample = perToken * std::max<int64_t>(1, maxTokens);
    int64_t fits =
        std::max<int64_t>(1, std::min<int64_t>(64, static_cast<int64_t>(budget / perSample)));
    if (model.device().is_cpu()) {
        // A CPU gains nothing from wide batches (its matmuls are busy at one sample) and loses
        // cache locality: on a 23M Llama with GSM8K questions (longest ~330 tokens, 2 threads),
        // batches of 2 ran 1.26x the loop's speed, 4 1.16x, 6 1.11x, 9 1.05x, 1 0.95x. About
        // 768 tokens per batch, at least 2 samples.
        fits = std::min(fits, std::max<int64_t>(2, 768 / std::max<int64_t>(1, maxTokens)));
    }
    return fits;
}

} // namespace taskquant::sensitivity
