#pragma once
// Checking the damage model (core/policy/damage_model.h) against measurement on the task text.
//
// For each tested tensor t: the model with t alone stored at `precision` (every other tensor
// unchanged, f32), its mean KL divergence per scored token against the unquantized model
// (token_metrics.h; the reference forward pass runs once and every run shares it), and the
// prediction D(t): by default (fisherWeighting) the damage model's refinement (4),
// 1/2 * score_t * FSSE_t with per-weight weights = the same task text's Fisher
// (sensitivity/activation_stats.h elementFisher); without it (3) 1/2 * score_t * WSSE_t with column
// weights = the text's activation statistics; with activationWeighting off as well,
// (2) 1/2 * score_t * SSE_t (errors of the exporter's bytes at the
// precision the tensor really gets: exporting::fitPrecision, so a shape the type cannot hold falls
// back exactly as in eval and export). Reported:
//  * spearman: Spearman's rho (average ranks) between predicted and measured KL;
//    spearman_plain: the same for (2) (equal to spearman when weighting is off);
//  * scale: the factor that best maps predictions to measurements (exp of the median of
//    log(measured / predicted) over tensors where both are > 0); misprediction of a tensor =
//    log(measured / (scale * predicted)), the worst `worst` by absolute value are listed;
//  * additivity: the KL of the whole policy (every tested tensor at `precision` at once)
//    against the sum of the single-tensor KLs (ratio = whole / sum; 1 = additive).
// Also reported for every predictor (plain SSE, column weighted (3), per-weight Fisher weighted
// (4), the text's Fisher alone without the map, score alone, SSE alone): Spearman over all rows
// and over the rows really at `precision` ("spearman_by_predictor").
// Tensors tested: the map's tensors the optimal allocation decides (damage_model.h
// allocatesPrecision: block linear weights, embeddings, lm_head) present in the model ("all"), or
// the N with the largest predicted damage ("top:N"). Blocking; progress over all runs; cancellable
// between chunks (the model is restored). Not thread-safe per model (one caller per model).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/eval/task_setup.h"
#include "core/eval/token_metrics.h"
#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"
#include "core/quant/precision.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::eval {

struct ValidationOptions {
    quant::Precision precision = quant::Precision::parse("q4_0");
    std::string tensors = "all"; // "all" | "top:N"
    int worst = 5;
    bool activationWeighting = true;
    // "predicted" = refinement (4), the per-weight Fisher of the task text (damage_model.h),
    // instead of (3); all predictors are measured and reported either way.
    bool fisherWeighting = true;
    uint64_t seed = 0; // the Monte-Carlo labels of the per-weight Fisher
};

struct ValidationRow {
    std::string name;
    std::string effective; // precision the tensor got
    double score = 0, sse = 0;
    double weightedSse = 0;    // = sse without weighting
    double predicted = 0;      // 1/2 score weighted_sse
    double predictedPlain = 0; // 1/2 score sse
    double measured = 0;       // mean KL per token
    double measuredUncertainty = 0;
    double misprediction = 0;    // log(measured / (scale * predicted)); 0 when undefined
    bool quantized = false;      // effective == the requested precision (no shape fallback)
    double fisherSse = 0;        // sum F_i delta_i^2 / mean(F), per-weight Fisher of the text
    double predictedColumns = 0; // (3) 1/2 score weighted_sse (activations)
    double predictedFisher = 0;  // (4) 1/2 score fisherSse
    double predictedText = 0;    // 1/2 sum F_i delta_i^2: the text's Fisher alone, no map
};

struct PredictorRank {
    std::string name;
    double ValidationRow::*field;
    double all = 0, quantized = 0; // Spearman over all rows / the quantized rows only
};

struct ValidationResult {
    std::string precision;
    std::vector<ValidationRow> rows; // in map order
    double spearman = 0;             // NaN when fewer than 2 rows or a side is constant
    double spearmanPlain = 0;
    bool activationWeighting = false;
    bool fisherWeighting = false;
    std::vector<PredictorRank> predictors;
    std::size_t quantizedRows = 0;
    double scale = 0;
    std::vector<std::size_t> worst; // row indices, worst first
    double sumSingle = 0, whole = 0, additivity = 0;
    QualityMetrics wholeMetrics;
    int64_t chunks = 0, tokens = 0;
    double seconds = 0;
    nlohmann::ordered_json toJson() const;
    std::string table() const;
};

// Parses "all" or "top:N" (N >= 1); throws taskquant::Error otherwise. 0 = all.
std::size_t parseTensorSelection(const std::string& s);

ValidationResult validateDamage(models::CausalLM& model,
                                const std::vector<std::vector<int64_t>>& chunks,
                                const sensitivity::SensitivityMap& map,
                                const ValidationOptions& options, const JobControl& job = {});

// prepareTask + validateDamage.
ValidationResult runValidation(const TaskRequest& task, const sensitivity::SensitivityMap& map,
                               const ValidationOptions& options, const JobControl& job = {});

} // namespace taskquant::eval
