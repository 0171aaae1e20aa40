#pragma once
// Measuring what a demo-style model has learned: held-out loss (token-weighted mean next-token
// cross-entropy) and exact-answer accuracy of greedy generation on synthetic problems.
// Blocking; uses the model from the calling thread only; no gradients.
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/synthetic_tasks.h"
#include "core/jobs/progress.h"

namespace taskquant::models {
class CausalLM;
}
namespace taskquant::tokenize {
class Tokenizer;
}

namespace taskquant::demo {

// Token ids of a training / evaluation text: BOS as the tokenizer is configured, the text, EOS;
// truncated to maxTokens (0 = no limit).
std::vector<int64_t> encodeSample(const tokenize::Tokenizer& tok, const std::string& text,
                                  int64_t maxTokens = 0);

// Right-padded batch: ids [B, T] (padding id 0) and mask [B, T] (1 = real token).
struct PaddedBatch {
    at::Tensor ids, mask;
};
PaddedBatch padBatch(const std::vector<const std::vector<int64_t>*>& samples, at::Device device);

// Token-weighted mean loss over all samples (each with at least 2 tokens), in batches.
double heldOutLoss(models::CausalLM& model, const std::vector<std::vector<int64_t>>& samples,
                   int64_t batchSize = 16, const JobControl& job = {});

struct AnswerAccuracy {
    int64_t correct = 0, total = 0;
    double rate() const { return total > 0 ? double(correct) / double(total) : 0.0; }
};

// Prompts with each problem's question + "\n" (BOS as configured), generates greedily up to
// maxNewTokens or EOS, and counts the answers extractAnswer() finds equal to problem.answer.
AnswerAccuracy answerAccuracy(models::CausalLM& model, const tokenize::Tokenizer& tok,
                              const std::vector<data::SyntheticProblem>& problems,
                              int64_t maxNewTokens = 64, const JobControl& job = {});

} // namespace taskquant::demo
