#include "core/sensitivity/activation_stats.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/sensitivity/square_sums.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {

namespace {

// Keeps each linear output that needs a gradient (and its input) for the backward pass, and each
// embedding lookup (its ids in `x`, embedding = true).
class GradObserver : public models::ForwardObserver {
  public:
    struct Use {
        int weight;
        at::Tensor x, y;
        bool embedding = false;
    };
    std::vector<Use> uses;
    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        if (!y.requires_grad())
            return;
        y.retain_grad();
        uses.push_back({w, x.detach(), y, false});
    }
    void embedding(int w, const at::Tensor& ids, const at::Tensor& y) override {
        if (!y.requires_grad())
            return;
        y.retain_grad();
        uses.push_back({w, ids.detach(), y, true});
    }
};

// One forward pass over a chunk with the observer installed, labels drawn from the model's own
// next-token distributions, and the backward pass of the sum of their log-probabilities: the
// observer's uses then hold the gradients at every observed output.
void sampledBackward(models::CausalLM& model, GradObserver& obs, const std::vector<int64_t>& chunk,
                     at::Generator& gen) {
    obs.uses.clear();
    const auto ids = at::tensor(chunk, at::kLong).view({1, -1}).to(model.device());
    const at::Tensor logp = at::log_softmax(model.logits(ids).to(at::kFloat), -1);
    const int64_t vocab = logp.size(-1);
    const at::Tensor probs = logp.detach().exp().reshape({-1, vocab}).to(at::kDouble).cpu();
    const at::Tensor labels = at::multinomial(probs, 1, true, gen).to(logp.device());
    const at::Tensor total = logp.reshape({-1, vocab}).gather(1, labels).sum();
    total.backward();
}

} // namespace

std::map<std::string, std::vector<float>>
elementFisher(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
              uint64_t seed, const JobControl& job, int samples) {
    samples = std::max(1, samples);
    GradObserver obs;
    models::RequiresGradScope grads(model, true);
    models::ObserverScope observe(model, obs);
    at::AutoGradMode gradMode(true);
    at::Generator gen = at::detail::createCPUGenerator(seed);
    std::map<int, at::Tensor> sums; // double [out, in]
    int64_t positions = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        job.check();
        job.report(double(c) / double(chunks.size()), "per-weight Fisher", c, chunks.size());
        for (int draw = 0; draw < samples; ++draw) {
            sampledBackward(model, obs, chunks[c], gen);
            for (const auto& u : obs.uses) {
                const at::Tensor g = u.y.grad();
                if (!g.defined())
                    continue;
                const at::Tensor g2 = g.detach().reshape({-1, g.size(-1)}).to(at::kDouble).pow(2);
                at::Tensor f;
                if (u.embedding) {
                    // y_n = W[id_n]: row id_n gathers g_n^2 (the Fisher per row of the lookup)
                    const auto& w = model.parameters()[static_cast<std::size_t>(u.weight)].tensor;
                    f = at::zeros({w.size(0), w.size(1)}, g2.options())
                            .index_add_(0, u.x.reshape({-1}).to(g2.device()), g2)
                            .cpu();
                } else {
                    const at::Tensor x2 = u.x.reshape({-1, u.x.size(-1)}).to(at::kDouble).pow(2);
                    f = at::matmul(g2.t(), x2).cpu();
                }
                auto it = sums.find(u.weight);
                if (it == sums.end())
                    sums.emplace(u.weight, f);
                else
                    it->second += f;
            }
            obs.uses.clear();
            model.zeroGrad();
        }
        positions += static_cast<int64_t>(chunks[c].size()) * samples;
    }
    std::map<std::string, std::vector<float>> out;
    for (auto& [w, s] : sums) {
        const at::Tensor mean =
            (s / static_cast<double>(std::max<int64_t>(1, positions))).to(at::kFloat).contiguous();
        const float* p = mean.data_ptr<float>();
        out[model.parameters()[static_cast<std::size_t>(w)].name].assign(p, p + mean.numel());
    }
    job.report(1.0, "per-weight Fisher", chunks.size(), chunks.size());
    return out;
}

std::map<std::string, std::vector<double>>
textDamage(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
           const std::map<std::string, at::Tensor>& deltas, const TextDamageOptions& o,
           const JobControl& job) {
    // weight index -> [K, out, in] double deltas on the model's device
    std::map<int, at::Tensor> d;
    for (const auto& [name, t] : deltas) {
        const int w = model.parameterIndex(name);
        if (w < 0)
            throw Error("text damage: the model has no tensor \"" + name + "\"");
        const auto& p = model.parameters()[static_cast<std::size_t>(w)].tensor;
        if (t.dim() != 3 || p.dim() != 2 || t.size(1) != p.size(0) || t.size(2) != p.size(1))
            throw Error("text damage: the deltas of \"" + name + "\" do not match its shape");
        d.emplace(w, t.to(model.device(), at::kDouble));
    }
    GradObserver obs;
    models::RequiresGradScope grads(model, true);
    models::ObserverScope observe(model, obs);
    at::AutoGradMode gradMode(true);
    at::Generator gen = at::detail::createCPUGenerator(o.seed);
    std::map<int, at::Tensor> sums;      // weight index -> double [K]
    std::map<int, at::Tensor> chunkSums; // the same, squared per chunk (cross-position terms)
    int64_t positions = 0;
    const int samples = std::max(1, o.samples);
    const double total = double(chunks.size()) * samples;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        for (int s = 0; s < samples; ++s) {
            job.check();
            job.report((double(c) * samples + s) / total, "task text damage", c, chunks.size());
            sampledBackward(model, obs, chunks[c], gen);
            std::map<int, at::Tensor> score; // weight index -> [K, T] sum over its uses
            for (const auto& u : obs.uses) {
                auto it = d.find(u.weight);
                const at::Tensor g = u.y.grad();
                if (it == d.end() || !g.defined())
                    continue;
                const at::Tensor gd = g.detach().reshape({-1, g.size(-1)}).to(at::kDouble);
                at::Tensor sc; // [K, T]: g_n . (Delta x_n) for each candidate
                if (u.embedding) {
                    // y_n = W[id_n]: the error of row id_n moves y_n by Delta[id_n]
                    const at::Tensor rows = it->second.index_select(1, u.x.reshape({-1}));
                    sc = (rows * gd.unsqueeze(0)).sum(-1);
                } else {
                    const at::Tensor x = u.x.reshape({-1, u.x.size(-1)}).to(at::kDouble);
                    sc = (at::matmul(gd.unsqueeze(0), it->second) * x.unsqueeze(0)).sum(-1);
                }
                auto [pos, fresh] = score.emplace(u.weight, sc);
                if (!fresh)
                    pos->second = pos->second + sc;
            }
            for (auto& [w, sc] : score) {
                const at::Tensor q = sc.pow(2).sum(-1).cpu();
                auto [pos, fresh] = sums.emplace(w, q);
                if (!fresh)
                    pos->second += q;
                const at::Tensor qc = sc.sum(-1).pow(2).cpu();
                auto [cpos, cfresh] = chunkSums.emplace(w, qc);
                if (!cfresh)
                    cpos->second += qc;
            }
            obs.uses.clear();
            model.zeroGrad();
        }
        positions += static_cast<int64_t>(chunks[c].size());
    }
    std::map<std::string, std::vector<double>> out;
    const double n = double(std::max<int64_t>(1, positions)) * samples;
    const std::map<int, at::Tensor>& from = o.crossPositions ? chunkSums : sums;
    for (const auto& [w, t] : d) {
        std::vector<double>& v = out[model.parameters()[static_cast<std::size_t>(w)].name];
        v.assign(static_cast<std::size_t>(t.size(0)), 0.0);
        if (auto it = from.find(w); it != from.end()) {
            const at::Tensor q = it->second.contiguous();
            for (int64_t k = 0; k < q.numel(); ++k)
                v[static_cast<std::size_t>(k)] = 0.5 * q.data_ptr<double>()[k] / n;
        }
    }
    job.report(1.0, "task text damage", chunks.size(), chunks.size());
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
