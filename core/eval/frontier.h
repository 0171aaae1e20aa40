#pragma once
// The size-quality frontier: a set of policies evaluated on the task text against the
// unquantized model (one reference forward pass, shared), with exact sizes.
//
// The set:
//  * the baselines of frontier_baselines.h (kind "uniform": each uniform type; "recipe":
//    llama.cpp's named mixes, each tensor as llama-quantize chooses it, no imatrix);
//  * for every map given and every budget b in `bits`: the optimal allocation (policy_builder
//    with the damage model, damage_model.h) under the exact byte budget floor(b * P / 8), P =
//    all parameters of the model, non-quantized tensors counted at their precision (kind
//    "optimal", signal = the map's method);
//  * the same allocation with every score 1, i.e. driven by the measured errors alone, no map
//    (kind "optimal", signal "none"), unless errorOnly is false.
// Errors are measured once, on the model's weights, for every candidate precision and every
// type a baseline effectively gives an allocated weight (so every point is predicted; the
// allocations choose among the candidates only) (error_measure.h, all threads); with
// fisherWeighting (default) the squared errors are weighted per weight by the task text's Fisher
// (sensitivity/activation_stats.h elementFisher; the damage model's (4)), else with
// activationWeighting per column by its activation statistics ((3)), for every family alike, so
// "none" differs from a map's family by the scores only. Streaming (memory): the weights are taken
// in groups of at most `streamBytes` of float values (a larger weight alone): per group one Fisher
// pass (elementFisherStreamed), the group's fp32 copies, its error-table rows; then the group is
// freed. Only the table's numbers and one mean Fisher per tensor stay. The model itself is never
// copied while nothing is measured.
//  * matchRecipes: further budgets at each distinct mix size, exactly its bytes ("=MIX");
//  * importance / imatrixFile / imatrixFromTask: every family quantized importance-weighted
//    (FrontierResult::imatrix names the source; "imatrix" in the JSON, "" = none);
//  * taskFisherFamily: an optimal family whose scores are the mean of the text's per-weight
//    Fisher per tensor (signal "task-fisher"), i.e. damage 1/2 sum F delta^2 without any map.
// A budget no assignment fits is listed under "infeasible" with the reason (e.g. 64-wide rows
// leave no type below q4_0's 4.5 bits).
// Scope: the optimal families decide every block linear weight and the token embeddings /
// lm_head (policy_builder's allocateEmbeddings; a tied embedding is costed output-side,
// damage_model.h), as llama.cpp's mixes do; the uniform family quantizes the linear weights
// only. 1-D tensors (norms, biases) are f32 in every family, as GGUF stores them.
// Predicted first, measured where asked: every point is first sized and predicted by the
// damage model (no forward pass): predicted_damage = policyCost's damage sum with the
// prediction's scores - the task text's mean per-weight Fisher per tensor when fisherWeighting
// (then the damage is 1/2 sum F delta^2, a KLD in nats: predicted_kld = predicted_damage), else
// the first map's scores, else 1 everywhere (then predicted_kld = scale * damage, scale =
// policy::fitScale over the measured points, absent without any). onPredicted receives that
// frontier before any evaluation. Then the points `measure` selects are evaluated (one forward
// pass each over the chunks, after one reference pass); the others stay "measured": false.
// Policies with identical effective plans are evaluated once ("same_plan_as" names the first).
// Sizes: bytes = sum over all parameters of the effective precision's bytes (shape fallbacks
// applied as eval and export apply them); bits_per_weight = 8 * bytes / P.
// Sharding: the distinct plans to measure, in point order, go round-robin to shardCount shards;
// a shard evaluates its own (shard k: the k-th, k+N-th, ...) and writes "shard": {"index",
// "count", "planned": [labels measured over all shards], "mine": [its labels]}; every shard
// computes the same predicted frontier, so mergeFrontierShards() joins them into exactly the
// unsharded frontier.
// JSON: {"format": "taskquant-frontier", "version": 2, "parameters", "chunks", "tokens",
//        "error_weighting", "prediction": {"scores", "in_nats", "scale"},
//        "points": [{"label", "kind", "signal", "budget_bits"?, "bits_per_weight", "bytes",
//                    "fallbacks", "predicted_damage", "predicted_kld"?, "measured",
//                    measured only: "kld_mean", "kld_p99", "ppl", "same_top1", "mean_delta_p",
//                    "rms_delta_p"; "same_plan_as"?, "seconds"}],
//        "infeasible": [{"label", "signal", "budget_bits", "reason"}], "shard"?,
//        "timing": {"reference_seconds", "errors_seconds", "mean_eval_seconds",
//                   "total_seconds", "evaluations", "eval_equivalents"}}
// (a null predicted_damage: some tensor's precision has no measured error.)
// eval_equivalents = total / (reference + mean eval of the evaluated plans): the frontier's cost in
// units of one `eval` of one policy. Blocking; progress over every phase (activation statistics,
// per-weight Fisher, error tables, reference, each evaluation) with counts that only go up;
// cancellable (model restored).
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/frontier_baselines.h"
#include "core/eval/task_setup.h"
#include "core/eval/token_metrics.h"
#include "core/jobs/progress.h"
#include "core/policy/error_table.h"
#include "core/quant/importance_lookup.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::eval {

struct FrontierResult;

struct FrontierOptions {
    std::vector<double> bits;                 // budgets in bits per weight (all parameters)
    std::vector<quant::Precision> candidates; // optimal's choices; empty = GGUF defaults
    std::vector<quant::Precision> uniform;    // uniform family; empty = quantized candidates
    policy::Policy base;                      // embeddings, lm_head, norms, biases, other
    bool errorOnly = true;
    // Also one optimal budget per distinct size of llama.cpp's mixes, exactly that many bytes
    // (label "optimal SIGNAL =MIX"): the equal-size comparison.
    bool matchRecipes = false;
    // Also an optimal family driven by the task text's per-weight Fisher alone, no map (kind
    // "optimal", signal "task-fisher"; needs fisherWeighting).
    bool taskFisherFamily = false;
    bool activationWeighting = true;
    // weighted_sse by the task text's per-weight Fisher (damage_model.h (4)) instead of (3)
    bool fisherWeighting = true;
    int threads = 0; // error measurement
    // Importance-weighted quantization (what llama.cpp users ship with an imatrix): the
    // uniform types, the mixes and the optimal policies' codecs all quantize with it, and the
    // errors are measured with it. `importance` (a lookup by parameter name) is used as given;
    // runFrontier fills it from imatrixFile (checked against the model) or, with
    // imatrixFromTask, from the imatrix of the task text's chunks (computeImatrix).
    quant::ImportanceLookup importance;
    std::string imatrixFile;
    bool imatrixFromTask = false;
    // Which points are evaluated: "all", "none", "default" (the optimal policies of the first
    // map - or of the first family when no map is given - and, for each, the llama.cpp mix
    // nearest it in bits per weight) or labels separated by commas (an unknown label is an
    // error naming the labels there are).
    std::string measure = "all";
    int shardIndex = 0, shardCount = 1; // this process's slice of the plans to measure
    // At most this many bytes of per-weight Fisher values at once; 0 = automatic (task_errors.h
    // taskErrorsStreamBytes: an eighth of the weights' bytes + 256 MiB, bounded by the weights'
    // bytes and a quarter of the available memory beside them). Larger: fewer groups (each
    // recomputes only its own layers, so the time hardly changes), more memory.
    uint64_t streamBytes = 0;
    // Receives the predicted frontier (every point sized and predicted, none measured) before
    // any evaluation; on the calling thread.
    std::function<void(const FrontierResult&)> onPredicted;
};

struct FrontierPoint {
    std::string label, kind, signal;
    double budgetBits = 0; // 0 = not an allocation
    uint64_t bytes = 0;
    double bitsPerWeight = 0;
    QualityMetrics metrics;
    std::size_t fallbacks = 0;
    double seconds = 0;
    bool measured = false; // metrics hold an evaluation (else only the prediction exists)
    // NaN: some tensor's precision has no measured error
    double predictedDamage = std::numeric_limits<double>::quiet_NaN();
    // NaN: none (no Fisher weighting and no fitted scale)
    double predictedKld = std::numeric_limits<double>::quiet_NaN();
    std::string sameAs;    // an earlier point with the identical effective plan (metrics shared)
    policy::Policy policy; // the policy evaluated (not in the JSON)
    // Optimal points: the map (FrontierMap label, "errors only", "task text Fisher") that
    // drove it, and the llama.cpp mix whose exact size was the budget ("" = a --bits budget).
    // Find points by these fields (FrontierResult::optimalAt), never by parsing labels.
    std::string map, budgetRecipe;
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
    std::string imatrix;           // the codecs' importance matrix ("" = none)
    std::size_t evaluations = 0;   // forward passes over the text (distinct plans)
    std::string errorWeighting;    // the error table's "importance"
    std::string predictionScores;  // "task text Fisher", "map LABEL" or "flat"
    bool predictionInNats = false; // predicted_damage is a KLD (Fisher scores)
    double scale = 0;              // fitted measured KLD / predicted damage; 0 = none
    int shardIndex = 0, shardCount = 1;
    std::vector<std::string> plannedLabels, shardLabels; // measured over all shards / here
    // Not in the JSON: every parameter's shape (exporting::parameterShapes) and the measured error
    // table the allocations used, so a caller can size and predict other policies alike.
    std::vector<exporting::NamedShape> shapes;
    std::shared_ptr<const policy::ErrorTable> errors;
    double meanEvalSeconds() const;
    nlohmann::ordered_json toJson() const;
    // Reads what toJson() wrote (points without policies); throws Error naming `source`.
    static FrontierResult fromJson(const nlohmann::ordered_json& j, const std::string& source);
    // predicted_kld of every point and the fitted scale from the points as they are.
    void updatePrediction();
    // The optimal point that `map` allocated at the --bits budget `budgetBits` (exact value as
    // given in FrontierOptions::bits), or null (infeasible, or no such map or budget).
    const FrontierPoint* optimalAt(const std::string& map, double budgetBits) const;
    std::string table() const;
};

struct FrontierMap {
    std::string label; // e.g. the file name
    sensitivity::SensitivityMap map;
};

// Parses "3.5,4,4.5": positive finite numbers; throws taskquant::Error.
std::vector<double> parseBits(const std::string& list);
// A budget as labels and messages print it: "%g" ("4.5", "6").
std::string bitsText(double bits);

FrontierResult computeFrontier(models::CausalLM& model,
                               const std::vector<std::vector<int64_t>>& chunks,
                               const std::vector<FrontierMap>& maps, const FrontierOptions& options,
                               const JobControl& job = {});

// Joins the shards of one sharded frontier (each a frontier JSON with "shard") into the
// unsharded frontier's JSON: the points measured in each shard, the scale refitted, "shard"
// dropped; top-level fields the CLI added (model, maps, text, ...) kept as shard 0 has them.
// Timing: the longest shard's reference, errors and total seconds, the evaluations summed.
// Throws Error naming the file when a shard is missing, repeated, from another run (any other
// field or any point's size or prediction differs) or not a frontier shard.
nlohmann::ordered_json mergeFrontierShards(const std::vector<nlohmann::ordered_json>& shards,
                                           const std::vector<std::string>& names);

FrontierResult runFrontier(const TaskRequest& task, const std::vector<FrontierMap>& maps,
                           const FrontierOptions& options, const JobControl& job = {});

} // namespace taskquant::eval
