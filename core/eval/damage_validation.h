#pragma once
// Checking the damage model (core/policy/damage_model.h, the one function
// exporting::predictDamage) against measurement on the task text.
//
// For every tested tensor t and every tested type p: the model with t alone stored at p (every
// other tensor unchanged, f32), its mean KL divergence per scored token against the unquantized
// model (token_metrics.h; the reference forward pass runs once and every run shares it), and
// the prediction D(t, p) at the precision the tensor really gets (exporting::fitPrecision, so a
// shape the type cannot hold falls back exactly as in eval and export). The prediction
// ("predicted") is the product's damage model: by default (4') 1/2 sum_i F_i delta_i^2 with F
// the same task text's per-weight Fisher (sensitivity/activation_stats.h elementFisher; the
// embedding's from its gathered gradients), in nats per token, no map; with mapLevel the map's
// score sets each tensor's level instead ((4), or (3)/(2) without Fisher / activation weighting).
// Reported:
//  * per type: Spearman's rho (average ranks) between predicted and measured KL over the rows
//    really at that type ("quantized": no shape fallback) and over all rows; the calibration
//    ratio sum(measured) / sum(predicted) over the quantized rows (1 = the prediction is in
//    KL units); the share of quantized rows whose calibrated prediction is within x2 of the
//    measurement; the whole model at that type at once against the sum of its singles;
//  * every predictor (text Fisher (4'), map level (4), columns (3), plain (2), the full
//    per-position quadratic form (5) and the same squared per window, score alone, SSE alone;
//    (5) only up to 50 M tested weights x types, else 0):
//    Spearman over all rows and over the quantized rows ("spearman_by_predictor"), over all types;
//  * scale: exp(median log(measured / predicted)) over all rows; misprediction of a row =
//    log(measured / (scale * predicted)), the worst `worst` by absolute value are listed;
//  * whole policies (`policies` budgets, evenly between the smallest and the largest type):
//    the optimal allocation (policy_builder, the damage model with the text's Fisher levels)
//    over the tested types and f16 at that byte budget, its joint KL, the sum of the
//    single-tensor KLs of its choices (additivity = joint / sum) and the predicted total
//    (exporting::predictDamage), raw and calibrated by the single-tensor calibration ratio.
// The top-level spearman / scale / additivity fields describe the first type, as before.
// Tensors tested: the map's tensors the optimal allocation decides (damage_model.h
// allocatesPrecision: block linear weights, embeddings, lm_head) present in the model, or the
// model's own without a map ("all"), or the N with the largest predicted damage at the first
// type ("top:N"). Blocking; progress over all runs; cancellable between chunks (the model is
// restored). Not thread-safe per model (one caller per model).
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
    // Types tested; empty = {precision}.
    std::vector<quant::Precision> precisions;
    std::string tensors = "all"; // "all" | "top:N"
    int worst = 5;
    bool activationWeighting = true;
    bool fisherWeighting = true;
    // "predicted" with the map's score as each tensor's level ((4)/(3)/(2)) instead of the task
    // text's own Fisher (4'): measured worse (docs/ARCHITECTURE.md), kept for comparison.
    bool mapLevel = false;
    int policies = 3;  // whole-policy budgets (0 = none)
    uint64_t seed = 0; // the Monte-Carlo labels of the per-weight Fisher
    int samples = 1;   // label draws per window
};

struct ValidationRow {
    std::string name;
    std::string requested; // the tested type
    std::string effective; // precision the tensor got
    double score = 0, sse = 0;
    double weightedSse = 0;    // = sse without weighting
    double predicted = 0;      // the damage model's prediction (see mapLevel)
    double predictedPlain = 0; // 1/2 score sse
    double measured = 0;       // mean KL per token
    double measuredUncertainty = 0;
    double misprediction = 0;         // log(measured / (scale * predicted)); 0 when undefined
    bool quantized = false;           // effective == the requested precision (no shape fallback)
    double fisherSse = 0;             // sum F_i delta_i^2 / mean(F), per-weight Fisher of the text
    double predictedColumns = 0;      // (3) 1/2 score weighted_sse (activations)
    double predictedFisher = 0;       // (4) 1/2 score fisherSse
    double predictedText = 0;         // (4') 1/2 sum F_i delta_i^2: the text's Fisher alone, no map
    double meanFisher = 0;            // mean of the text's per-weight Fisher over the tensor
    double predictedQuadratic = 0;    // (5) 1/2 mean_n (g_n . Delta x_n)^2 (activation_stats.h)
    double predictedQuadraticMap = 0; // (5) with the map's level: score * (5) / meanFisher
    double predictedWindow = 0;       // (5) squared per window (cross-position terms)
};

struct PredictorRank {
    std::string name;
    double ValidationRow::*field;
    double all = 0, quantized = 0; // Spearman over all rows / the quantized rows only
};

struct PrecisionCheck {
    std::string precision;
    std::size_t rows = 0, quantizedRows = 0;
    double spearman = 0, spearmanAll = 0; // quantized rows / all rows
    double calibration = 0;               // sum measured / sum predicted (quantized rows)
    double within2 = 0;                   // share of quantized rows within x2 (calibrated)
    double sumSingle = 0, whole = 0, additivity = 0;
};

struct PolicyCheck {
    double budgetBits = 0;
    uint64_t bytes = 0;
    double bitsPerWeight = 0;
    double predicted = 0;           // predictDamage's total (klPerUnit 1)
    double predictedCalibrated = 0; // x the single-tensor calibration ratio
    double sumSingle = 0, joint = 0, additivity = 0;
    std::string mix; // "q4_k x12, q6_k x3, f16 x1"
};

struct ValidationResult {
    std::string precision;           // the first type
    std::vector<ValidationRow> rows; // map order, per type
    double spearman = 0;             // first type, all its rows (NaN when undefined)
    double spearmanPlain = 0;
    bool activationWeighting = false;
    bool fisherWeighting = false;
    bool mapLevel = false;
    std::vector<PredictorRank> predictors;
    std::vector<PrecisionCheck> perPrecision;
    std::vector<PolicyCheck> policies;
    std::size_t quantizedRows = 0;
    double scale = 0;
    double calibration = 0; // sum measured / sum predicted over every quantized row
    double within2 = 0;
    std::vector<std::size_t> worst;                  // row indices, worst first
    double sumSingle = 0, whole = 0, additivity = 0; // the first type
    QualityMetrics wholeMetrics;
    int64_t chunks = 0, tokens = 0;
    double seconds = 0;
    nlohmann::ordered_json toJson() const;
    std::string table() const;
};

// Parses "all" or "top:N" (N >= 1); throws taskquant::Error otherwise. 0 = all.
std::size_t parseTensorSelection(const std::string& s);

// `map` may be null: then the model's own tensors are tested and mapLevel is refused.
ValidationResult validateDamage(models::CausalLM& model,
                                const std::vector<std::vector<int64_t>>& chunks,
                                const sensitivity::SensitivityMap* map,
                                const ValidationOptions& options, const JobControl& job = {});
ValidationResult validateDamage(models::CausalLM& model,
                                const std::vector<std::vector<int64_t>>& chunks,
                                const sensitivity::SensitivityMap& map,
                                const ValidationOptions& options, const JobControl& job = {});

// prepareTask + validateDamage.
ValidationResult runValidation(const TaskRequest& task, const sensitivity::SensitivityMap* map,
                               const ValidationOptions& options, const JobControl& job = {});
ValidationResult runValidation(const TaskRequest& task, const sensitivity::SensitivityMap& map,
                               const ValidationOptions& options, const JobControl& job = {});

} // namespace taskquant::eval
