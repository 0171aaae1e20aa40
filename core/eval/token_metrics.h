#pragma once
// Token-level quality metrics the way llama.cpp's perplexity tool reports them
// (tools/perplexity: plain perplexity and --kl-divergence), computed with this project's
// models on any tokenized text.
//
// Chunking (as llama.cpp does): the token stream is cut into consecutive chunks of `ctx`
// tokens (a partial tail is dropped); when the tokenizer adds BOS, each chunk's first token is
// replaced by BOS. Only the second half of each chunk is scored: positions j in
// [ctx/2, ctx-2] predict token j+1, so every scored token has at least ctx/2 tokens of context.
//
// Per scored token, with p the unquantized (reference) distribution and q the evaluated one:
//   nll = -log q(correct);  KL(p||q) = sum_v p_v (log p_v - log q_v);
//   same top-1 = argmax p == argmax q;  delta p = q(correct) - p(correct).
// Reported: PPL = exp(mean nll) with its uncertainty (PPL * standard error of the mean nll),
// mean KL with its standard error, KL median / 99th percentile / max (percentiles interpolated
// linearly between sorted values, as llama.cpp does), same-top-1 rate, mean and RMS delta p.
//
// The reference is computed once (ReferenceLogProbs) and reused for every evaluated variant.
// Blocking; progress per chunk; cancellable between chunks. Not thread-safe per model.
#include <ATen/ATen.h>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::eval {

struct ChunkOptions {
    int64_t ctx = 512;      // tokens per chunk (>= 4)
    int64_t maxChunks = 0;  // 0 = all complete chunks
    int64_t bosId = -1;     // replaces the first token of every chunk when >= 0
};

// The chunks of a token stream. Throws taskquant::Error when ctx < 4 or the text is shorter
// than one chunk.
std::vector<std::vector<int64_t>> makeChunks(const std::vector<int32_t>& tokens,
                                             const ChunkOptions& options);

// Scored positions of a chunk of ctx tokens: first index and count.
inline int64_t firstScored(int64_t ctx) { return ctx / 2; }
inline int64_t scoredPerChunk(int64_t ctx) { return ctx - 1 - ctx / 2; }

// Log-softmax of the reference model at every scored position, float32 on the CPU. Kept in
// memory up to memoryCapBytes, otherwise spilled to an anonymous temporary file.
class ReferenceLogProbs {
public:
    static ReferenceLogProbs compute(models::CausalLM& model,
                                     const std::vector<std::vector<int64_t>>& chunks,
                                     const JobControl& job = {},
                                     uint64_t memoryCapBytes = uint64_t(2) << 30);
    std::size_t chunkCount() const { return count_; }
    // [scoredPerChunk(ctx), vocab] float32.
    at::Tensor chunk(std::size_t i) const;

private:
    std::vector<at::Tensor> inMemory_;
    std::shared_ptr<std::FILE> spill_;
    std::vector<int64_t> shape_;
    std::size_t count_ = 0;
};

struct QualityMetrics {
    int64_t chunks = 0, tokens = 0;
    double meanNll = 0, ppl = 0, pplUncertainty = 0;
    double kldMean = 0, kldUncertainty = 0, kldMedian = 0, kldP99 = 0, kldMax = 0;
    double sameTop1 = 0;   // fraction 0..1
    double meanDeltaP = 0; // fraction (x100 for percent)
    double rmsDeltaP = 0;
    nlohmann::ordered_json toJson() const;
};

// Metrics of `model` as it is now (e.g. with a policy applied) against the reference.
QualityMetrics evaluateAgainst(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& chunks,
                               const ReferenceLogProbs& reference, const JobControl& job = {});
// Metrics of the reference itself (KL 0, same top-1 1, delta p 0; its own perplexity),
// computed by the same formulas without another forward pass.
QualityMetrics referenceMetrics(const std::vector<std::vector<int64_t>>& chunks,
                                const ReferenceLogProbs& reference);

// llama.cpp's percentile: linear interpolation on sorted values (fraction in [0, 1]).
double percentile(std::vector<float> values, double fraction);

} // namespace taskquant::eval
