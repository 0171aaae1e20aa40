#include "core/sensitivity/activation_stats.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>

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

// Makes the embedding output a leaf that requires grad, so that a backward pass computes the
// activations' gradients without any parameter requiring grad (no weight gradients); keeps the
// outputs of the weights in `wanted` for the per-weight products.
class StreamObserver : public models::ForwardObserver {
  public:
    struct Use {
        int weight;
        at::Tensor x, y;
    };
    std::vector<Use> uses;
    const std::vector<char>* wanted = nullptr;
    void embedding(int, const at::Tensor&, const at::Tensor& y) override {
        if (!y.requires_grad() && y.is_floating_point())
            y.requires_grad_(true);
    }
    void linear(int w, int, const at::Tensor& x, const at::Tensor& y) override {
        if (!y.requires_grad() || w < 0 || std::size_t(w) >= wanted->size() || !(*wanted)[w])
            return;
        y.retain_grad();
        uses.push_back({w, x.detach(), y});
    }
};

} // namespace

std::vector<std::vector<std::size_t>> fisherGroups(const std::vector<int64_t>& numels,
                                                   uint64_t bufferBytes) {
    std::vector<std::vector<std::size_t>> groups;
    uint64_t used = 0;
    for (std::size_t i = 0; i < numels.size(); ++i) {
        const uint64_t bytes = 4 * static_cast<uint64_t>(std::max<int64_t>(0, numels[i]));
        if (groups.empty() || used + bytes > bufferBytes) {
            groups.emplace_back();
            used = 0;
        }
        groups.back().push_back(i);
        used += bytes;
    }
    return groups;
}

void elementFisherStreamed(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                           uint64_t seed, const std::vector<std::string>& weights,
                           uint64_t bufferBytes, const FisherConsumer& consume,
                           const JobControl& job) {
    std::vector<int> index;
    std::vector<int64_t> numels;
    for (const auto& name : weights) {
        const int i = model.parameterIndex(name);
        if (i < 0)
            continue;
        index.push_back(i);
        numels.push_back(model.parameters()[static_cast<std::size_t>(i)].tensor.numel());
    }
    const auto groups = fisherGroups(numels, bufferBytes);
    const long long steps = static_cast<long long>(groups.size() * chunks.size());
    StreamObserver obs;
    models::ObserverScope observe(model, obs);
    at::AutoGradMode gradMode(true);
    auto gen = at::detail::createCPUGenerator(seed);
    std::vector<at::Tensor> labels(chunks.size()); // drawn in the first pass, then reused
    std::vector<char> wanted(model.parameters().size(), 0);
    obs.wanted = &wanted;
    int64_t positions = 0;
    for (const auto& c : chunks)
        positions += static_cast<int64_t>(c.size());
    const float inv = 1.0f / static_cast<float>(std::max<int64_t>(1, positions));
    long long step = 0;
    for (const auto& group : groups) {
        std::fill(wanted.begin(), wanted.end(), 0);
        for (std::size_t k : group)
            wanted[static_cast<std::size_t>(index[k])] = 1;
        std::map<int, at::Tensor> sums; // float [out, in]
        for (std::size_t c = 0; c < chunks.size(); ++c, ++step) {
            job.check();
            job.report(steps ? double(step) / double(steps) : 0.0, "per-weight Fisher", step,
                       steps);
            obs.uses.clear();
            const auto ids = at::tensor(chunks[c], at::kLong).view({1, -1}).to(model.device());
            const at::Tensor logp = at::log_softmax(model.logits(ids).to(at::kFloat), -1);
            if (!logp.requires_grad())
                throw Error("per-weight Fisher: the model's output does not depend on its "
                            "embedding output (no gradient)");
            const int64_t vocab = logp.size(-1);
            if (!labels[c].defined()) {
                const at::Tensor probs =
                    logp.detach().exp().reshape({-1, vocab}).to(at::kDouble).cpu();
                labels[c] = at::multinomial(probs, 1, true, gen).to(logp.device());
            }
            const at::Tensor total = logp.reshape({-1, vocab}).gather(1, labels[c]).sum();
            total.backward();
            for (const auto& u : obs.uses) {
                const at::Tensor g = u.y.grad();
                if (!g.defined())
                    continue;
                const at::Tensor g2 = g.detach().reshape({-1, g.size(-1)}).to(at::kFloat).pow(2);
                const at::Tensor x2 = u.x.reshape({-1, u.x.size(-1)}).to(at::kFloat).pow(2);
                auto it = sums.find(u.weight);
                if (it == sums.end())
                    sums.emplace(u.weight, at::matmul(g2.t(), x2).cpu());
                else
                    it->second.addmm_(g2.t().cpu(), x2.cpu());
            }
            obs.uses.clear();
        }
        for (std::size_t k : group) {
            const int w = index[k];
            auto it = sums.find(w);
            if (it == sums.end())
                continue;
            at::Tensor s = std::move(it->second);
            sums.erase(it);
            s.mul_(inv);
            s = s.contiguous();
            consume(model.parameters()[static_cast<std::size_t>(w)].name, s.data_ptr<float>(),
                    s.numel());
        }
    }
    job.report(1.0, "per-weight Fisher", steps, steps);
}

std::map<std::string, std::vector<float>>
elementFisher(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
              uint64_t seed, const JobControl& job) {
    GradObserver obs;
    models::RequiresGradScope grads(model, true);
    models::ObserverScope observe(model, obs);
    at::AutoGradMode gradMode(true);
    auto gen = at::detail::createCPUGenerator(seed);
    std::map<int, at::Tensor> sums; // double [out, in]
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
            if (it == sums.end())
                sums.emplace(u.weight, f);
            else
                it->second += f;
        }
        positions += static_cast<int64_t>(chunks[c].size());
        obs.uses.clear();
        model.zeroGrad();
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
