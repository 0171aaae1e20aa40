#pragma once
// Comparing several policies with the unquantized model in one run: the reference forward is
// done once (ReferenceLogProbs) and reused; each policy is applied in memory (PolicyApplier),
// evaluated, and the model restored. Optionally GSM8K accuracy per variant.
// GGUF files (ComparisonOptions::ggufFiles) are further variants after the policies: their
// weights replace the model's (gguf_weights.h), so a row measures exactly a file one ships.
// Blocking; progress over the whole comparison; cancellable (the model is restored).
#include <optional>
#include <string>
#include <vector>

#include "core/eval/gsm8k.h"
#include "core/eval/token_metrics.h"
#include "core/policy/policy.h"
#include "core/quant/importance_lookup.h"

namespace taskquant::eval {

struct NamedPolicy {
    std::string name; // e.g. the policy file
    policy::Policy policy;
};

struct ComparisonRow {
    std::string name; // "baseline" for the unquantized model
    bool baseline = false;
    QualityMetrics metrics;
    uint64_t bytes = 0;     // stored size of all parameters under the policy (fallbacks applied)
    double averageBits = 0; // 8 * bytes / parameters
    std::vector<std::string> notes; // shape fallbacks
    std::optional<Gsm8kResult> gsm8k;
};

struct ComparisonOptions {
    ChunkOptions chunks;
    std::vector<Gsm8kProblem> gsm8k; // empty: no accuracy run
    int64_t gsm8kMaxNewTokens = 256;
    quant::ImportanceLookup importance; // empty: no imatrix (PolicyApplier::apply)
    std::vector<std::string> ggufFiles; // evaluated after the policies, one row each (its path)
    bool ggufCpuArithmetic = true;      // GGUF rows round activations as llama.cpp's CPU backend
};

std::vector<ComparisonRow>
comparePolicies(models::CausalLM& model, const std::vector<int32_t>& tokens,
                const std::vector<NamedPolicy>& policies, const ComparisonOptions& options,
                const tokenize::Tokenizer* tokenizer = nullptr, const JobControl& job = {});

// A fixed-width text table (one row per variant) like llama.cpp's summary lines.
std::string formatComparisonTable(const std::vector<ComparisonRow>& rows);
nlohmann::ordered_json comparisonJson(const std::vector<ComparisonRow>& rows);

} // namespace taskquant::eval
