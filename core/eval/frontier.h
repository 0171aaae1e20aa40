#pragma once
// The size-quality frontier: a set of policies evaluated on the task text against the
// unquantized model (one reference forward pass, shared), with exact sizes.
//
// The set:
//  * the baselines of frontier_baselines.h (kind "uniform": each uniform type; "recipe":
//    llama.cpp's named mixes once that hook is filled);
//  * for every map given and every budget b in `bits`: the optimal allocation (policy_builder
//    with the damage model, damage_model.h) under the exact byte budget floor(b * P / 8), P =
//    all parameters of the model, non-quantized tensors counted at their precision (kind
//    "optimal", signal = the map's method);
//  * the same allocation with every score 1, i.e. driven by the measured errors alone, no map
//    (kind "optimal", signal "none"), unless errorOnly is false.
// Errors are measured once, on the model's weights, for every candidate precision
// (error_measure.h, all threads); with activationWeighting the squared errors are weighted per
// column by the task text's activation statistics (activation_stats.h; the damage model's (3))
// for every family alike, so "none" differs from a map's family by the scores only. A budget no assignment fits is listed under "infeasible"
// with the reason (e.g. 64-wide rows leave no type below q4_0's 4.5 bits).
// Sizes: bytes = sum over all parameters of the effective precision's bytes (shape fallbacks
// applied as eval and export apply them); bits_per_weight = 8 * bytes / P.
// JSON: {"format": "taskquant-frontier", "version": 1, "parameters", "chunks", "tokens",
//        "points": [{"label", "kind", "signal", "budget_bits"?, "bits_per_weight", "bytes",
//                    "kld_mean", "kld_p99", "ppl", "same_top1", "mean_delta_p", "rms_delta_p",
//                    "seconds"}], "infeasible": [{"label", "signal", "budget_bits", "reason"}],
//        "timing": {"reference_seconds", "errors_seconds", "mean_eval_seconds",
//                   "total_seconds", "eval_equivalents"}}
// eval_equivalents = total / (reference + mean eval): the frontier's cost in units of one
// `eval` of one policy. Blocking; progress over the whole run; cancellable (model restored).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/frontier_baselines.h"
#include "core/eval/task_setup.h"
#include "core/eval/token_metrics.h"
#include "core/jobs/progress.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::eval {

struct FrontierOptions {
    std::vector<double> bits;                 // budgets in bits per weight (all parameters)
    std::vector<quant::Precision> candidates; // optimal's choices; empty = GGUF defaults
    std::vector<quant::Precision> uniform;    // uniform family; empty = quantized candidates
    policy::Policy base;                      // embeddings, lm_head, norms, biases, other
    bool errorOnly = true;
    bool activationWeighting = true;
    int threads = 0; // error measurement
};

struct FrontierPoint {
    std::string label, kind, signal;
    double budgetBits = 0; // 0 = not an allocation
    uint64_t bytes = 0;
    double bitsPerWeight = 0;
    QualityMetrics metrics;
    std::size_t fallbacks = 0;
    double seconds = 0;
    policy::Policy policy; // the policy evaluated (not part of the JSON)
};

struct FrontierInfeasible {
    std::string label, signal;
    double budgetBits = 0;
    std::string reason;
};

struct FrontierResult {
    std::vector<FrontierPoint> points;
    std::vector<FrontierInfeasible> infeasible;
    int64_t parameters = 0, chunks = 0, tokens = 0;
    double referenceSeconds = 0, errorsSeconds = 0, totalSeconds = 0;
    std::string errorWeighting; // the error table's "importance"
    double meanEvalSeconds() const;
    nlohmann::ordered_json toJson() const;
    std::string table() const;
};

struct FrontierMap {
    std::string label; // e.g. the file name
    sensitivity::SensitivityMap map;
};

// Parses "3.5,4,4.5": positive finite numbers; throws taskquant::Error.
std::vector<double> parseBits(const std::string& list);

FrontierResult computeFrontier(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& chunks,
                               const std::vector<FrontierMap>& maps, const FrontierOptions& options,
                               const JobControl& job = {});

FrontierResult runFrontier(const TaskRequest& task, const std::vector<FrontierMap>& maps,
                           const FrontierOptions& options, const JobControl& job = {});

} // namespace taskquant::eval
