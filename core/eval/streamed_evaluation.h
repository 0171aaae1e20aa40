#pragma once
// Evaluating one policy on a loaded model with a streamed quantized model (implemented in
// evaluation_run.cpp). Includes ATen; the studio's Qt code includes evaluation_run.h instead.
#include <cstdint>
#include <vector>

#include "core/eval/token_metrics.h"
#include "core/export/apply_policy.h"
#include "core/jobs/progress.h"
#include "core/policy/policy.h"
#include "core/quant/importance_lookup.h"

namespace taskquant::eval {

// One policy evaluated with a streamed quantized model against `reference` on `chunks`: the
// policy's tensors are encoded once (about the policy's file size in memory) and decoded one
// tensor at a time into a scratch buffer during each forward pass (exporting::PolicyApplier);
// the model's own weights are never copied nor changed, and the model is back to them on
// return (an error or a cancel included). The one-call form of the mechanism comparePolicies,
// validation and the frontier use through PolicyApplier (for the frontier's measured points).
// Progress: quantizing 0-50 %, the forward passes 50-100 %.
struct StreamedEvaluation {
    QualityMetrics metrics;
    std::vector<exporting::TensorPlan> plan; // as applied (fallbacks in notes)
    uint64_t encodedBytes = 0;               // the encoded tensors held during the evaluation
};
StreamedEvaluation evaluatePolicyStreamed(models::CausalLM& model,
                                          const std::vector<std::vector<int64_t>>& chunks,
                                          const ReferenceLogProbs& reference,
                                          const policy::Policy& policy, const JobControl& job = {},
                                          const quant::ImportanceLookup& importance = {});

} // namespace taskquant::eval
