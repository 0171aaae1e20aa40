#pragma once
// Token-level quality metrics the way llama.cpp's perplexity tool reports them
// (tools/perplexity: plain perplexity and --kl-divergence), computed with this project's
// models on any tokenized text.
//
// Context windows ("chunks"), built exactly as llama-perplexity builds them (upstream
// tools/perplexity/perplexity.cpp, perplexity() and kl_divergence(); checked against its
// output in tests/core/tst_perplexity_golden.cpp):
//   1. The whole text is tokenized once with special tokens as configured
//      (perplexityTokens): BOS first when the tokenizer adds BOS (EOS last when it adds EOS),
//      as common_tokenize(ctx, text, add_special = true) does.
//   2. The stream is cut into consecutive windows of ctx tokens; a partial tail is dropped.
//      maxChunks N keeps the first min(N, tokens / ctx) windows (0 = all, llama's -1).
//   3. When the tokenizer adds BOS, each window's first token is replaced by BOS (window 0
//      starts with it anyway; every later window loses its first text token).
//   4. Only the last ctx - ctx/2 - 1 predictions of a window are scored: positions j in
//      [ctx/2, ctx-2] predict token j+1, so every scored token has at least ctx/2 tokens of
//      context.
// Known differences: llama-perplexity refuses texts of fewer than 2 * ctx tokens (here one
// window suffices), and it tokenizes with parse_special = false, so a special token's text in
// the file (e.g. "<|endoftext|>") stays text there while encode() maps it to its id (plain
// corpora such as wiki.test.raw are unaffected). Tokenizing without the leading BOS shifts
// every window by one token: stories260K, wiki.test.raw, ctx 128, 20 chunks gives PPL 116.37
// instead of llama-perplexity's 114.16.
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
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::tokenize {
class Tokenizer;
}

namespace taskquant::eval {

struct ChunkOptions {
    int64_t ctx = 512;     // tokens per chunk (>= 4)
    int64_t maxChunks = 0; // 0 = all complete chunks
    int64_t bosId = -1;    // replaces the first token of every chunk when >= 0
};

// Throws Error unless `chunks` is 0 (all windows) or positive (a negative count once meant
// "all" silently).
void checkChunkCount(int64_t chunks);
// The chunks of a token stream. Throws taskquant::Error when ctx < 4 or the text is shorter
// than one chunk.
std::vector<std::vector<int64_t>> makeChunks(const std::vector<int32_t>& tokens,
                                             const ChunkOptions& options);

// Step 1: the token stream of `text`, tokenizer.encode(text, true).
std::vector<int32_t> perplexityTokens(const tokenize::Tokenizer& tokenizer,
                                      const std::string& text);
// Steps 2-3 for this tokenizer: ctx, maxChunks, and bosId = its BOS when it adds BOS, else -1.
ChunkOptions perplexityChunkOptions(const tokenize::Tokenizer& tokenizer, int64_t ctx,
                                    int64_t maxChunks);

// Scored positions of a chunk of ctx tokens: first index and count.
inline int64_t firstScored(int64_t ctx) {
    return ctx / 2;
}
inline int64_t scoredPerChunk(int64_t ctx) {
    return ctx - 1 - ctx / 2;
}

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
