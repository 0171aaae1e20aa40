#include "core/sensitivity/activation_stats.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>
#include <limits>
#include <set>

#include <torch/csrc/autograd/autograd.h>

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
// Keeps the uses of the weights in `wanted` during a recomputed segment (a linear's input and
// output), and notes the segment in which every weight is used (segment -1: the embedding
// lookup; 0 .. layers-1: a decoder layer; layers: the final norm and lm_head).
class SegmentObserver : public models::ForwardObserver {
  public:
    struct Use {
        int weight;
        at::Tensor x, y;
    };
    std::vector<Use> uses;
    const std::vector<char>* wanted = nullptr;
    int segment = -1;
    std::map<int, std::set<int>>* segmentsOf = nullptr; // set while mapping
    ForwardObserver* also = nullptr;                    // sees the uses too
    void embedding(int w, const at::Tensor& ids, const at::Tensor& y) override {
        if (segmentsOf)
            (*segmentsOf)[w].insert(-1);
        if (also)
            also->embedding(w, ids, y);
    }
    void norm(int w, int b, const at::Tensor& xhat, const at::Tensor& y) override {
        if (also)
            also->norm(w, b, xhat, y);
    }
    void linear(int w, int bias, const at::Tensor& x, const at::Tensor& y) override {
        if (segmentsOf)
            (*segmentsOf)[w].insert(segment);
        if (also)
            also->linear(w, bias, x, y);
        if (!wanted || !y.requires_grad() || w < 0 || std::size_t(w) >= wanted->size() ||
            !(*wanted)[std::size_t(w)])
            return;
        uses.push_back({w, x.detach(), y});
    }
};

} // namespace

std::vector<std::vector<std::size_t>> fisherGroups(const std::vector<int64_t>& numels,
                                                   uint64_t bufferBytes,
                                                   const std::vector<int>& segments) {
    const bool aligned = segments.size() == numels.size();
    auto bytesOf = [&](std::size_t i) {
        return 4 * static_cast<uint64_t>(std::max<int64_t>(0, numels[i]));
    };
    std::vector<std::vector<std::size_t>> groups;
    uint64_t used = 0;
    for (std::size_t i = 0; i < numels.size(); ++i) {
        const uint64_t bytes = bytesOf(i);
        if (groups.empty() || used + bytes > bufferBytes) {
            std::vector<std::size_t> moved;
            if (aligned && !groups.empty()) {
                // the open segment's weights move on when the group holds an earlier one
                auto& g = groups.back();
                std::size_t first = g.size();
                while (first > 0 && segments[g[first - 1]] == segments[i])
                    --first;
                uint64_t movedBytes = 0;
                for (std::size_t k = first; k < g.size(); ++k)
                    movedBytes += bytesOf(g[k]);
                if (first > 0 && first < g.size() && movedBytes + bytes <= bufferBytes) {
                    moved.assign(g.begin() + std::ptrdiff_t(first), g.end());
                    g.resize(first);
                }
            }
            groups.push_back(std::move(moved));
            used = 0;
            for (std::size_t k : groups.back())
                used += bytesOf(k);
        }
        groups.back().push_back(i);
        used += bytes;
    }
    return groups;
}

void elementFisherStreamed(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                           uint64_t seed, const std::vector<std::string>& weights,
                           uint64_t bufferBytes, const FisherConsumer& consume,
                           const JobControl& job, int samples, models::ForwardObserver* firstPass) {
    samples = std::max(1, samples);
    std::vector<int> index;
    std::vector<int64_t> numels;
    for (const auto& name : weights) {
        const int i = model.parameterIndex(name);
        if (i < 0)
            continue;
        index.push_back(i);
        numels.push_back(model.parameters()[static_cast<std::size_t>(i)].tensor.numel());
    }
    const int layers = static_cast<int>(model.config().numLayers);
    std::vector<at::Tensor> ids(chunks.size());
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        if (chunks[c].empty())
            throw Error("per-weight Fisher: an empty chunk");
        ids[c] = at::tensor(chunks[c], at::kLong).view({1, -1}).to(model.device());
    }

    // Which segment uses which weight: one forward pass over a single token, no gradients.
    std::map<int, std::set<int>> segmentsOf;
    SegmentObserver obs;
    models::ObserverScope observe(model, obs);
    if (!chunks.empty()) {
        at::NoGradGuard noGrad;
        obs.segmentsOf = &segmentsOf;
        const at::Tensor one = ids[0].narrow(1, 0, 1);
        const auto seg = model.segments(one);
        obs.segment = -1;
        at::Tensor h = model.embed(one);
        for (int l = 0; l < layers; ++l) {
            obs.segment = l;
            h = model.layers(h, seg, l, l + 1);
        }
        obs.segment = layers;
        model.head(h);
        obs.segmentsOf = nullptr;
    }
    std::vector<int> segmentKey; // each weight's first segment (unobserved: its own key)
    for (std::size_t k = 0; k < index.size(); ++k) {
        auto it = segmentsOf.find(index[k]);
        segmentKey.push_back(it == segmentsOf.end() || it->second.empty()
                                 ? layers + 1 + static_cast<int>(k)
                                 : *it->second.begin());
    }
    const auto groups = fisherGroups(numels, bufferBytes, segmentKey);
    std::vector<std::vector<int>> groupSegments;
    long long steps = static_cast<long long>(chunks.size()) * (layers + 2); // the first pass
    for (const auto& group : groups) {
        std::set<int> segs;
        for (std::size_t k : group) {
            auto it = segmentsOf.find(index[k]);
            if (it != segmentsOf.end())
                segs.insert(it->second.begin(), it->second.end());
        }
        groupSegments.emplace_back(segs.begin(), segs.end());
        steps += static_cast<long long>(chunks.size() * segs.size());
    }
    long long step = 0;
    auto report = [&] {
        job.report(steps ? double(step) / double(steps) : 0.0, "per-weight Fisher", step, steps);
    };

    // First pass, chunk by chunk: one forward pass layer by layer, the labels drawn from the
    // model's own distributions, and one backward pass per draw; kept: every layer boundary's
    // hidden state (the input of layer l, and of the head at l = layers) and, per draw, its
    // gradient (index 0: the embedding output's). In the compute dtype, as the pass made them.
    // Where memory is tight (the model streams its weights, CausalLM::releasesPages) the forward
    // pass keeps no graph and the backward pass goes layer by layer from the top, recomputing
    // each layer from its kept input: one layer's activations instead of the whole model's, for
    // one more forward pass; the same gradients.
    const bool layerwise = model.releasesPages();
    at::AutoGradMode gradMode(true);
    auto gen = at::detail::createCPUGenerator(seed);
    std::vector<std::vector<at::Tensor>> labels(chunks.size()), hidden(chunks.size());
    std::vector<std::vector<std::vector<at::Tensor>>> grads(chunks.size()); // [c][draw][l]
    int64_t positions = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        job.check();
        report();
        positions += static_cast<int64_t>(chunks[c].size()) * samples;
        const auto seg = model.segments(ids[c]);
        std::vector<at::Tensor> h(static_cast<std::size_t>(layers) + 1);
        obs.also = firstPass;
        {
            at::AutoGradMode graph(!layerwise);
            h[0] = model.embed(ids[c]).detach();
            if (!layerwise)
                h[0].requires_grad_(true);
            for (int l = 0; l < layers; ++l)
                h[std::size_t(l) + 1] = model.layers(h[std::size_t(l)], seg, l, l + 1);
        }
        const at::Tensor top = layerwise ? h.back().detach().requires_grad_(true) : h.back();
        const at::Tensor logp = at::log_softmax(model.head(top).to(at::kFloat), -1);
        obs.also = nullptr;
        if (!logp.requires_grad())
            throw Error("per-weight Fisher: the model's output does not depend on its "
                        "embedding output (no gradient)");
        const int64_t vocab = logp.size(-1);
        const at::Tensor probs = logp.detach().exp().reshape({-1, vocab}).to(at::kDouble).cpu();
        for (int draw = 0; draw < samples; ++draw) {
            labels[c].push_back(at::multinomial(probs, 1, true, gen).to(logp.device()));
            const at::Tensor total = logp.reshape({-1, vocab}).gather(1, labels[c].back()).sum();
            const bool keep = draw + 1 < samples;
            if (!layerwise) {
                grads[c].push_back(torch::autograd::grad({total}, h, {}, keep));
                continue;
            }
            grads[c].emplace_back(h.size());
            grads[c].back().back() = torch::autograd::grad({total}, {top}, {}, keep)[0];
        }
        for (int l = layers - 1; layerwise && l >= 0; --l) {
            job.check();
            const at::Tensor x = h[std::size_t(l)].detach().requires_grad_(true);
            const at::Tensor out = model.layers(x, seg, l, l + 1);
            for (int draw = 0; draw < samples; ++draw) {
                auto& g = grads[c][std::size_t(draw)];
                g[std::size_t(l)] = torch::autograd::grad({out}, {x}, {g[std::size_t(l) + 1]},
                                                          draw + 1 < samples)[0];
            }
        }
        for (auto& t : h)
            t = t.detach();
        hidden[c] = std::move(h);
        step += layers + 2;
    }

    // Then group by group: each segment that uses one of the group's weights is recomputed from
    // its kept input, and its uses' output gradients come from a backward pass that starts at its
    // output with the kept gradient there (the head's: from the kept labels). The values equal
    // those of the whole pass; the cost is about one more forward and backward pass in all,
    // whatever the grouping.
    // Segment s reads the kept hidden[c][s] (s >= 0) and grads[c][draw][s + 1] (s < layers);
    // both are freed after the last group that reads them (the embedding and lm_head, last in
    // the frontier's order, then run beside no layer's states: 1.4 GB at 3B on 8 x 256 tokens).
    std::map<int, std::size_t> lastGroup;
    for (std::size_t gi = 0; gi < groupSegments.size(); ++gi)
        for (int s : groupSegments[gi])
            lastGroup[s] = gi;
    auto releaseSegmentsAfter = [&](std::ptrdiff_t gi) {
        for (int s = -1; s <= layers; ++s) {
            auto it = lastGroup.find(s);
            const std::ptrdiff_t last = it == lastGroup.end() ? -1 : std::ptrdiff_t(it->second);
            if (last != gi)
                continue;
            for (std::size_t c = 0; c < chunks.size(); ++c) {
                if (s >= 0)
                    hidden[c][std::size_t(s)] = at::Tensor();
                if (s < layers)
                    for (auto& g : grads[c])
                        g[std::size_t(s) + 1] = at::Tensor();
            }
        }
    };
    releaseSegmentsAfter(-1); // the states no group reads
    std::vector<char> wanted(model.parameters().size(), 0);
    const float inv = 1.0f / static_cast<float>(std::max<int64_t>(1, positions));
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const auto& group = groups[gi];
        std::fill(wanted.begin(), wanted.end(), 0);
        for (std::size_t k : group)
            wanted[static_cast<std::size_t>(index[k])] = 1;
        std::map<int, at::Tensor> sums; // float [out, in] on the CPU
        auto sumOf = [&](int w) -> at::Tensor& {
            auto it = sums.find(w);
            if (it == sums.end()) {
                const auto& t = model.parameters()[static_cast<std::size_t>(w)].tensor;
                it = sums.emplace(w, at::zeros({t.size(0), t.size(1)}, at::kFloat)).first;
            }
            return it->second;
        };
        for (std::size_t c = 0; c < chunks.size(); ++c) {
            const auto seg = model.segments(ids[c]);
            for (int s : groupSegments[gi]) {
                job.check();
                report();
                ++step;
                if (s < 0) { // the lookup y_n = W[id_n]: row id_n gathers g_n^2
                    for (const auto& [w, on] : segmentsOf)
                        if (on.count(-1) && wanted[std::size_t(w)])
                            for (int draw = 0; draw < samples; ++draw)
                                sumOf(w).index_add_(
                                    0, ids[c].reshape({-1}).cpu(),
                                    grads[c][std::size_t(draw)][0]
                                        .reshape({-1, grads[c][std::size_t(draw)][0].size(-1)})
                                        .to(at::kFloat)
                                        .pow(2)
                                        .cpu());
                    continue;
                }
                obs.uses.clear();
                obs.wanted = &wanted;
                obs.segment = s;
                const at::Tensor x = hidden[c][std::size_t(s)].detach().requires_grad_(true);
                at::Tensor out, logp;
                if (s < layers)
                    out = model.layers(x, seg, s, s + 1);
                else
                    logp = at::log_softmax(model.head(x).to(at::kFloat), -1);
                obs.wanted = nullptr;
                std::vector<at::Tensor> ys;
                for (const auto& u : obs.uses)
                    ys.push_back(u.y);
                for (int draw = 0; draw < samples && !ys.empty(); ++draw) {
                    std::vector<at::Tensor> g;
                    const bool keep = draw + 1 < samples;
                    if (s < layers) {
                        g = torch::autograd::grad({out}, ys,
                                                  {grads[c][std::size_t(draw)][std::size_t(s) + 1]},
                                                  keep, false, true);
                    } else {
                        const int64_t vocab = logp.size(-1);
                        const at::Tensor total =
                            logp.reshape({-1, vocab}).gather(1, labels[c][std::size_t(draw)]).sum();
                        g = torch::autograd::grad({total}, ys, {}, keep, false, true);
                    }
                    for (std::size_t k = 0; k < ys.size(); ++k) {
                        if (!g[k].defined())
                            continue;
                        const auto& u = obs.uses[k];
                        const at::Tensor g2 =
                            g[k].reshape({-1, g[k].size(-1)}).to(at::kFloat).pow(2).cpu();
                        sumOf(u.weight).addmm_(
                            g2.t(), u.x.reshape({-1, u.x.size(-1)}).to(at::kFloat).pow(2).cpu());
                    }
                }
                obs.uses.clear();
            }
        }
        for (std::size_t k : group) {
            const int w = index[k];
            auto it = sums.find(w);
            if (it == sums.end())
                continue;
            at::Tensor sum = std::move(it->second);
            sums.erase(it);
            sum.mul_(inv);
            sum = sum.contiguous();
            consume(model.parameters()[static_cast<std::size_t>(w)].name, sum.data_ptr<float>(),
                    sum.numel());
        }
        releaseSegmentsAfter(std::ptrdiff_t(gi));
    }
    job.report(1.0, "per-weight Fisher", steps, steps);
}

std::map<std::string, std::vector<float>>
elementFisher(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
              uint64_t seed, const JobControl& job, int samples) {
    std::vector<std::string> names;
    for (const auto& p : model.parameters())
        if (p.tensor.dim() == 2)
            names.push_back(p.name);
    std::map<std::string, std::vector<float>> out;
    elementFisherStreamed(
        model, chunks, seed, names, std::numeric_limits<uint64_t>::max(),
        [&](const std::string& name, const float* values, int64_t numel) {
            out[name].assign(values, values + numel);
        },
        job, samples);
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
    models::ActivationGradScope grads(model); // output gradients only, no weight .grad
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
    auto out = columnEnergy(model, obs);
    job.report(1.0, "activation statistics", chunks.size(), chunks.size());
    return out;
}

std::map<std::string, std::vector<float>> columnEnergy(const models::CausalLM& model,
                                                       const SquareSums& sums) {
    std::map<std::string, std::vector<float>> out;
    for (const auto& [w, s] : sums.sums) {
        auto n = sums.counts.find(w);
        const double count =
            static_cast<double>(std::max<int64_t>(1, n == sums.counts.end() ? 0 : n->second));
        const at::Tensor mean = (s / count).to(at::kCPU).to(at::kFloat).contiguous();
        const float* p = mean.data_ptr<float>();
        out[model.parameters()[static_cast<std::size_t>(w)].name].assign(p, p + mean.numel());
    }
    return out;
}

} // namespace taskquant::sensitivity
