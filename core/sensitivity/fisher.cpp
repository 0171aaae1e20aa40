#include "core/sensitivity/fisher.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/models/causal_lm.h"
#include "core/models/model_loader.h"
#include "core/sensitivity/bootstrap.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {

std::vector<std::size_t> shardSlice(std::size_t n, int shardIndex, int shardCount) {
    if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount)
        throw Error("invalid shard " + std::to_string(shardIndex) + "/" +
                    std::to_string(shardCount));
    const std::size_t begin = n * static_cast<std::size_t>(shardIndex) / shardCount;
    const std::size_t end = n * static_cast<std::size_t>(shardIndex + 1) / shardCount;
    std::vector<std::size_t> out;
    for (std::size_t i = begin; i < end; ++i)
        out.push_back(i);
    return out;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        throw Error("percentile of an empty set");
    if (!(p >= 0 && p <= 100))
        throw Error("percentile must be within 0..100");
    std::sort(v.begin(), v.end());
    const double pos = p / 100.0 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

FisherFold foldFisher(const std::vector<std::vector<double>>& sq, const std::vector<int64_t>& numel,
                      const std::vector<std::size_t>& mine, std::size_t nClip,
                      std::optional<double> clipPercentile) {
    FisherFold f;
    f.sums.assign(numel.size(), 0.0);
    if (clipPercentile) {
        std::vector<double> all;
        for (std::size_t i = 0; i < nClip && i < sq.size(); ++i)
            for (double v : sq[i])
                all.push_back(std::sqrt(v));
        if (!all.empty())
            f.threshold = percentile(all, *clipPercentile);
    }
    const double cap = f.threshold ? *f.threshold * *f.threshold : 0.0;
    for (std::size_t i : mine) {
        const auto& row = sq.at(i);
        if (row.empty()) {
            ++f.skipped;
            continue;
        }
        if (row.size() != numel.size())
            throw Error("internal: norm row size mismatch");
        ++f.processed;
        for (std::size_t c = 0; c < row.size(); ++c) {
            double v = row[c];
            if (f.threshold && v > cap) {
                v = cap;
                ++f.clipped;
            }
            f.sums[c] += v / static_cast<double>(numel[c]);
        }
    }
    return f;
}

SensitivityMap computeFisher(models::CausalLM& model,
                             const std::vector<std::vector<int64_t>>& samples,
                             const FisherOptions& o, const JobControl& job) {
    const auto t0 = std::chrono::steady_clock::now();
    if (samples.empty())
        throw Error("no calibration samples");
    if (o.clipPercentile && !(*o.clipPercentile > 0 && *o.clipPercentile <= 100))
        throw Error("clip percentile must be within (0, 100]");
    if (o.clipSamples < 1 && o.clipPercentile)
        throw Error("clip samples must be at least 1");
    const auto mine = shardSlice(samples.size(), o.shardIndex, o.shardCount);

    // Phase 1 (the first clip samples) is computed on its own, in the same batches in every
    // shard, so every shard derives a bit-identical clip threshold; then the shard's other
    // samples.
    const std::size_t nClip =
        o.clipPercentile ? std::min<std::size_t>(samples.size(), o.clipSamples) : 0;
    std::vector<std::size_t> phase1, rest;
    for (std::size_t i = 0; i < nClip; ++i)
        phase1.push_back(i);
    for (std::size_t i : mine)
        if (i >= nClip)
            rest.push_back(i);
    const double share =
        double(phase1.size()) / double(std::max<std::size_t>(1, phase1.size() + rest.size()));
    SampleNorms norms = sampleGradientNorms(model, samples, phase1, o.exactLoop, o.batchSize,
                                            subRange(job, 0.0, share));
    SampleNorms more = sampleGradientNorms(model, samples, rest, o.exactLoop, o.batchSize,
                                           subRange(job, share, 1.0 - share));
    std::vector<std::size_t> which = phase1;
    which.insert(which.end(), rest.begin(), rest.end());
    norms.sq.insert(norms.sq.end(), more.sq.begin(), more.sq.end());
    norms.tokens.insert(norms.tokens.end(), more.tokens.begin(), more.tokens.end());
    if (norms.tensors.empty())
        norms.tensors = more.tensors;
    std::vector<long> slotOf(samples.size(), -1);
    for (std::size_t k = 0; k < which.size(); ++k)
        slotOf[which[k]] = static_cast<long>(k);

    const auto& params = model.parameters();
    const std::size_t nt = norms.tensors.size();
    std::vector<std::vector<double>> sq(samples.size());
    for (std::size_t k = 0; k < which.size(); ++k)
        sq[which[k]] = norms.sq[k];
    std::vector<int64_t> numel;
    for (int idx : norms.tensors)
        numel.push_back(params[idx].tensor.numel());
    const FisherFold fold = foldFisher(sq, numel, mine, nClip, o.clipPercentile);
    const auto& sums = fold.sums;
    const int64_t processed = fold.processed;
    int64_t tokens = 0;
    for (std::size_t i : mine)
        if (!sq[i].empty())
            tokens += norms.tokens[slotOf[i]];

    std::vector<MapEntry> entries;
    for (std::size_t c = 0; c < nt; ++c) {
        const auto& p = params[norms.tensors[c]];
        const double score = o.reduction == Reduction::Mean
                                 ? (processed ? sums[c] / static_cast<double>(processed) : 0.0)
                                 : sums[c];
        entries.push_back({p.name, score, p.tensor.numel(), p.tensor.sizes().vec()});
    }
    Provenance pv;
    pv.architecture = model.config().modelType;
    pv.method = "fisher";
    pv.samples = static_cast<int64_t>(mine.size());
    pv.tokens = tokens;
    pv.clipThreshold = fold.threshold;
    pv.clipRate =
        processed ? double(fold.clipped) / double(processed * static_cast<int64_t>(nt)) : 0.0;
    pv.skippedSamples = fold.skipped;
    pv.device = model.device().str();
    pv.dtype = models::dtypeLabel(model.dtype());
    pv.toolVersion = TASKQUANT_VERSION;
    if (o.shardCount > 1) {
        pv.shardIndex = o.shardIndex;
        pv.shardCount = o.shardCount;
    }
    pv.settings = {{"reduction", reductionName(o.reduction)},
                   {"clip_samples", o.clipSamples},
                   {"clip_percentile",
                    o.clipPercentile ? nlohmann::json(*o.clipPercentile) : nlohmann::json("none")},
                   {"mode", o.exactLoop ? "exact-loop" : "batched"},
                   {"total_samples", samples.size()}};
    pv.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    MergeState ms{o.reduction, processed, sums};
    SensitivityMap map(std::move(entries), std::move(pv), std::move(ms));
    if (o.bootstrapResamples > 0 && o.reduction == Reduction::Mean && processed > 0) {
        // The per-sample contributions foldFisher added up, with the same clipping.
        const double cap = fold.threshold ? *fold.threshold * *fold.threshold : 0.0;
        std::vector<std::vector<double>> contrib;
        for (std::size_t i : mine) {
            if (sq[i].empty())
                continue;
            std::vector<double> row(nt);
            for (std::size_t c = 0; c < nt; ++c) {
                const double v = fold.threshold ? std::min(sq[i][c], cap) : sq[i][c];
                row[c] = v / static_cast<double>(numel[c]);
            }
            contrib.push_back(std::move(row));
        }
        BootstrapOptions bo;
        bo.resamples = o.bootstrapResamples;
        const BootstrapResult b = bootstrapMeans(contrib, bo);
        ScoreUncertainty u;
        u.resamples = b.resamples;
        u.level = b.level;
        u.samples = b.samples;
        u.seed = b.seed;
        u.topK = b.topK;
        u.lower = b.lower;
        u.upper = b.upper;
        for (const auto& t : b.top)
            u.topStability.emplace_back(map.entries()[t.tensor].name, t.probability);
        // Rounding: the interval is computed from the same values as the score but summed in
        // another order; widen it to contain the score.
        for (std::size_t c = 0; c < nt; ++c) {
            u.lower[c] = std::min(u.lower[c], map.entries()[c].score);
            u.upper[c] = std::max(u.upper[c], map.entries()[c].score);
        }
        map = map.withUncertainty(std::move(u));
    }
    return map;
}

} // namespace taskquant::sensitivity
