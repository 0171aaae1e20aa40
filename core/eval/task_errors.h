#pragma once
// The measured error table of a model for the damage model, weighted by a task text: the first
// stage of `frontier` and what `errors --dataset/--text` writes, one function for both, so the
// CLI's optimal policy and the frontier's rank with the same weighted errors.
// Every allocated weight (policy::allocatesPrecision: block linear weights, the token embeddings
// and lm_head) at every candidate precision (policy/error_measure.h measureErrors), with
// weighted_sse weighted
//  * fisherWeighting (default): per weight by the task text's Fisher
//    (sensitivity/activation_stats.h elementFisher, labels drawn with `fisherSeed`): the damage
//    model's (4); a tied embedding gets the Fisher of its lm_head use (the output role);
//  * else activationWeighting: per column by the text's mean squared activations ((3));
//  * neither: plain (weighted_sse = sse, importance "none").
// importance: an imatrix lookup handed to the codecs (their bytes are then the bytes
// `export --imatrix` writes); it does not weight weighted_sse when a task weighting is on.
// The table's "importance" names the weighting ("per-weight Fisher of the task text",
// "activations of the task text"); its task_text is left for the caller (who knows the source).
// `fisher` (optional) receives the per-weight Fisher (name -> row-major values).
// Blocking; progress over the stages; cancellable.
#include <map>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"
#include "core/policy/error_table.h"
#include "core/quant/importance_lookup.h"
#include "core/quant/precision.h"

namespace taskquant::eval {

struct TaskErrorOptions {
    bool fisherWeighting = true;
    bool activationWeighting = true;
    uint64_t fisherSeed = 0;
    int threads = 0; // error measurement (0 = all cores)
    quant::ImportanceLookup importance;
};

policy::ErrorTable measureTaskErrors(models::CausalLM& model,
                                     const std::vector<std::vector<int64_t>>& chunks,
                                     const std::vector<quant::Precision>& candidates,
                                     const TaskErrorOptions& options,
                                     std::map<std::string, std::vector<float>>* fisher = nullptr,
                                     const JobControl& job = {});

} // namespace taskquant::eval
