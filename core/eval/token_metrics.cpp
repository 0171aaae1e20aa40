#include "core/eval/token_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::eval {

void checkChunkCount(int64_t chunks) {
    if (chunks < 0)
        throw Error("--chunks must be 0 (every window of the text) or a positive count, got " +
                    std::to_string(chunks));
}

std::vector<std::vector<int64_t>> makeChunks(const std::vector<int32_t>& tokens,
                                             const ChunkOptions& o) {
    if (o.ctx < 4)
        throw Error("context length must be at least 4 tokens (got " + std::to_string(o.ctx) + ")");
    checkChunkCount(o.maxChunks);
    int64_t n = int64_t(tokens.size()) / o.ctx;
    if (n == 0)
        throw Error("the text has " + std::to_string(tokens.size()) +
                    " tokens, fewer than one context of " + std::to_string(o.ctx) +
                    "; use a longer text or a smaller --ctx");
    if (o.maxChunks > 0)
        n = std::min(n, o.maxChunks);
    std::vector<std::vector<int64_t>> chunks(n);
    for (int64_t c = 0; c < n; ++c) {
        chunks[c].assign(tokens.begin() + c * o.ctx, tokens.begin() + (c + 1) * o.ctx);
        if (o.bosId >= 0)
            chunks[c][0] = o.bosId;
    }
    return chunks;
}

std::vector<int32_t> perplexityTokens(const tokenize::Tokenizer& tokenizer,
                                      const std::string& text) {
    return tokenizer.encode(text, true);
}

ChunkOptions perplexityChunkOptions(const tokenize::Tokenizer& tokenizer, int64_t ctx,
                                    int64_t maxChunks) {
    ChunkOptions o;
    o.ctx = ctx;
    o.maxChunks = maxChunks;
    o.bosId = tokenizer.addsBos() && tokenizer.bosId() >= 0 ? tokenizer.bosId() : -1;
    return o;
}

namespace {

at::Tensor chunkLogProbs(models::CausalLM& model, const std::vector<int64_t>& chunk) {
    at::NoGradGuard noGrad;
    const int64_t ctx = int64_t(chunk.size());
    at::Tensor ids = at::tensor(chunk, at::kLong).view({1, ctx}).to(model.device());
    at::Tensor logits = model.logits(ids).squeeze(0);
    logits = logits.narrow(0, firstScored(ctx), scoredPerChunk(ctx)).to(at::kFloat);
    return at::log_softmax(logits, -1);
}

struct Accumulator {
    std::vector<float> kld;
    double nll = 0, nll2 = 0, kl = 0, kl2 = 0, dp = 0, dp2 = 0;
    int64_t same = 0, n = 0;

    void add(const at::Tensor& ref, const at::Tensor& now, const std::vector<int64_t>& chunk) {
        const int64_t ctx = int64_t(chunk.size());
        const int64_t first = firstScored(ctx), m = scoredPerChunk(ctx);
        at::Tensor targets = at::tensor(std::vector<int64_t>(chunk.begin() + first + 1,
                                                             chunk.begin() + first + 1 + m),
                                        at::kLong)
                                 .to(now.device())
                                 .view({m, 1});
        at::Tensor r = ref.to(now.device());
        at::Tensor lpNow = now.gather(1, targets).squeeze(1).to(at::kDouble).cpu();
        at::Tensor lpRef = r.gather(1, targets).squeeze(1).to(at::kDouble).cpu();
        at::Tensor klTok = (r.exp() * (r - now)).sum(-1).to(at::kFloat).cpu().contiguous();
        at::Tensor sameTok = (r.argmax(-1) == now.argmax(-1)).cpu();
        const double* a = lpNow.data_ptr<double>();
        const double* b = lpRef.data_ptr<double>();
        const float* k = klTok.data_ptr<float>();
        const bool* s = sameTok.data_ptr<bool>();
        for (int64_t i = 0; i < m; ++i) {
            nll += -a[i];
            nll2 += a[i] * a[i];
            kl += k[i];
            kl2 += double(k[i]) * k[i];
            kld.push_back(k[i]);
            const double d = std::exp(a[i]) - std::exp(b[i]);
            dp += d;
            dp2 += d * d;
            same += s[i] ? 1 : 0;
        }
        n += m;
    }

    QualityMetrics finish(int64_t chunks) const {
        QualityMetrics q;
        q.chunks = chunks;
        q.tokens = n;
        if (n == 0)
            return q;
        auto stderrOf = [&](double sum, double sum2) {
            if (n < 2)
                return 0.0;
            const double mean = sum / n;
            const double var = std::max(0.0, sum2 / n - mean * mean);
            return std::sqrt(var / (n - 1));
        };
        q.meanNll = nll / n;
        q.ppl = std::exp(q.meanNll);
        q.pplUncertainty = q.ppl * stderrOf(nll, nll2);
        q.kldMean = kl / n;
        q.kldUncertainty = stderrOf(kl, kl2);
        q.kldMedian = percentile(kld, 0.5);
        q.kldP99 = percentile(kld, 0.99);
        q.kldMax = percentile(kld, 1.0);
        q.sameTop1 = double(same) / n;
        q.meanDeltaP = dp / n;
        q.rmsDeltaP = std::sqrt(dp2 / n);
        return q;
    }
};

} // namespace

double percentile(std::vector<float> v, double fraction) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    if (fraction <= 0)
        return v.front();
    if (fraction >= 1)
        return v.back();
    double p = fraction * double(v.size() - 1);
    const std::size_t ip = std::size_t(p);
    p -= double(ip);
    return (1 - p) * v[ip] + p * v[std::min(ip + 1, v.size() - 1)];
}

ReferenceLogProbs ReferenceLogProbs::compute(models::CausalLM& model,
                                             const std::vector<std::vector<int64_t>>& chunks,
                                             const JobControl& job, uint64_t cap) {
    ReferenceLogProbs r;
    r.count_ = chunks.size();
    uint64_t bytes = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        job.check();
        job.report(double(c) / chunks.size(), "reference forward", c, chunks.size());
        at::Tensor lp = chunkLogProbs(model, chunks[c]).cpu().contiguous();
        r.shape_ = lp.sizes().vec();
        const uint64_t nb = uint64_t(lp.numel()) * sizeof(float);
        if (!r.spill_ && bytes + nb > cap) {
            std::FILE* f = std::tmpfile();
            if (!f)
                throw Error("cannot create a temporary file for the reference log-probabilities");
            r.spill_.reset(f, [](std::FILE* p) { std::fclose(p); });
            for (const at::Tensor& t : r.inMemory_)
                if (std::fwrite(t.data_ptr<float>(), sizeof(float), t.numel(), f) !=
                    std::size_t(t.numel()))
                    throw Error("temporary file: write failed (disk full?)");
            r.inMemory_.clear();
        }
        if (r.spill_) {
            if (std::fwrite(lp.data_ptr<float>(), sizeof(float), lp.numel(), r.spill_.get()) !=
                std::size_t(lp.numel()))
                throw Error("temporary file: write failed (disk full?)");
        } else {
            r.inMemory_.push_back(lp);
        }
        bytes += nb;
    }
    if (r.spill_)
        std::fflush(r.spill_.get());
    job.report(1.0, "reference done", chunks.size(), chunks.size());
    return r;
}

at::Tensor ReferenceLogProbs::chunk(std::size_t i) const {
    if (i >= count_)
        throw Error("reference chunk " + std::to_string(i) + " out of range");
    if (!spill_)
        return inMemory_[i];
    at::Tensor t = at::empty(shape_, at::kFloat);
    const long off = long(i * uint64_t(t.numel()) * sizeof(float));
    if (std::fseek(spill_.get(), off, SEEK_SET) != 0 ||
        std::fread(t.data_ptr<float>(), sizeof(float), t.numel(), spill_.get()) !=
            std::size_t(t.numel()))
        throw Error("temporary file: read of reference chunk failed");
    return t;
}

QualityMetrics evaluateAgainst(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& chunks,
                               const ReferenceLogProbs& reference, const JobControl& job) {
    if (reference.chunkCount() != chunks.size())
        throw Error("reference was computed on " + std::to_string(reference.chunkCount()) +
                    " chunks, not " + std::to_string(chunks.size()));
    Accumulator acc;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        job.check();
        job.report(double(c) / chunks.size(), "evaluating", c, chunks.size());
        at::NoGradGuard noGrad;
        acc.add(reference.chunk(c), chunkLogProbs(model, chunks[c]), chunks[c]);
    }
    job.report(1.0, "evaluated", chunks.size(), chunks.size());
    return acc.finish(int64_t(chunks.size()));
}

QualityMetrics referenceMetrics(const std::vector<std::vector<int64_t>>& chunks,
                                const ReferenceLogProbs& reference) {
    Accumulator acc;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        at::Tensor r = reference.chunk(c);
        acc.add(r, r, chunks[c]);
    }
    return acc.finish(int64_t(chunks.size()));
}

nlohmann::ordered_json QualityMetrics::toJson() const {
    nlohmann::ordered_json j;
    j["chunks"] = chunks;
    j["tokens"] = tokens;
    j["mean_nll"] = meanNll;
    j["ppl"] = ppl;
    j["ppl_uncertainty"] = pplUncertainty;
    j["kld_mean"] = kldMean;
    j["kld_uncertainty"] = kldUncertainty;
    j["kld_median"] = kldMedian;
    j["kld_p99"] = kldP99;
    j["kld_max"] = kldMax;
    j["same_top1"] = sameTop1;
    j["mean_delta_p"] = meanDeltaP;
    j["rms_delta_p"] = rmsDeltaP;
    return j;
}

} // namespace taskquant::eval
