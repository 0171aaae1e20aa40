#pragma once
// The damage model: what storing tensor t at precision p is predicted to cost on the task, in
// nats of KL divergence per token, from a sensitivity map and a measured error table.
//
// Formula. Second-order expansion of the task loss around the unquantized weights w: with the
// weight error delta = w^ - w and F the Fisher information of the task's next-token
// distribution,
//     KL(p_w || p_w^)  ~=  1/2 * delta^T F delta  ~=  1/2 * sum_i F_ii delta_i^2     (1)
// (the gradient term vanishes in expectation at the model's own predictions; the second step
// drops the off-diagonal Fisher). The map's Fisher score of a tensor is its mean diagonal
// Fisher, score_t = (1/numel_t) sum_{i in t} F_ii (fisher.h), so with F_ii ~= score_t inside
// the tensor,
//     D(t, p)  =  1/2 * score_t * SSE(t, p),      SSE = sum_i delta_i^2   (error_measure.h) (2)
// Refinement by columns: for a linear layer y = W x the diagonal Fisher factorises (the
// Kronecker/K-FAC view) as F_rc ~= E[g_r^2] * E[x_c^2]; with only the per-column activation
// energy w_c = E[x_c^2] known (an imatrix, or activation statistics of the task text) and the
// tensor's mean still equal to score_t,
//     F_rc ~= score_t * w_c / mean_c(w_c)   =>   D(t, p) = 1/2 * score_t * WSSE(t, p)        (3)
// with WSSE = sum_rc w_c delta_rc^2 / mean(w) ("weighted_sse" of the error table), which is
// the SSE again when all w_c are equal. (3)/(4) is used whenever the table has weighted errors
// made with a real importance vector or element weights; otherwise (2).
// Refinement by weights (4): the task text's own per-weight Fisher, measured on the evaluation
// text with labels drawn from the model (sensitivity/activation_stats.h elementFisher:
// Fhat_rc = (1/N) sum_n g_{n,r}^2 x_{n,c}^2, per-position outer products without cross-position
// terms), shapes the map's score inside the tensor,
//     F_rc ~= score_t * Fhat_rc / mean(Fhat)   =>   D(t, p) = 1/2 * score_t * FSSE(t, p),
//     FSSE = sum_rc Fhat_rc delta_rc^2 / mean(Fhat)                                       (4)
// (the table's weighted_sse when it was measured with element weights, error_measure.h). Per
// row it sees the output gradients (which rows of W the task's outputs are sensitive to), per
// column the input energies, and their co-occurrence per position; the tensor's level stays
// the map's. `validate` reports it and, as a diagnostic, 1/2 sum Fhat delta^2 without the map.
// (4') The product's default: the task text's Fisher alone, no map: the level of each tensor is
// the mean of its per-weight Fisher (the error table's "fisher_mean"), so with the Fisher-
// weighted errors D(t, p) = 1/2 * fisher_mean_t * FSSE = 1/2 sum_rc Fhat_rc delta_rc^2, in nats
// of KL per token (calibration klPerUnit 1). The token embedding gets Fhat per row from its
// gathered gradients (activation_stats.h). Measured with `validate` (README "Damage model
// against measurement"): Spearman over the really quantized tensors 0.93 (stories260K q4_0),
// 0.93 / 0.96 (demo arithmetic q3_k / q4_k), 0.95 / 0.89 (demo stories q3_k / q4_k), 0.95
// (tinystories-656k q4_0); the map's level instead ((4)) gives 0.89, 0.82, 0.62, 0.91: it
// hurts everywhere, so a map's score is only the level where no task text was measured.
// (5) (activation_stats.h textDamage, a diagnostic in `validate`): the full per-position
// quadratic form 1/2 mean_n (g_n . Delta x_n)^2, which adds the quantizer's bias (errors adding
// up along a row against the mean activation) and cross-row terms: no better than (4') in the
// measurements (0.92-0.97 vs 0.93-0.97), so the error table keeps the diagonal.
// Assumptions, and where they fail:
//  * small errors (second order): at very low bits higher-order terms grow;
//  * a diagonal Fisher: errors of one tensor that cancel or add through correlated weights are
//    not seen; errors in different tensors add (additivity: `validate` measures it);
//  * the map's score is the empirical Fisher of the per-sample mean loss (fisher.h), i.e.
//    E[||grad of the sample's mean loss||^2] / numel, not the per-token Fisher: the absolute
//    scale differs by roughly the tokens per sample and the clipping; rankings and the optimal
//    allocation do not depend on a common scale, and `validate` reports the fitted scale
//    (measured / predicted) for users who want absolute numbers;
//  * maps of other methods (magnitude, perturbation) are used the same way; their "damage" is
//    then a heuristic ranking, not nats.
// Embeddings and the output matrix (lm_head; a tied embedding is both): the same formula with
// the map's score of that tensor, which for a tied matrix is the Fisher of the one shared
// parameter (its gradient sums both uses). The column weights are the energies of the
// lm_head's input (the final normalised hidden state; activation_stats.h observes the tied
// matrix as the lm_head linear), i.e. the matrix is treated output-side: every row of the
// output matrix moves every token's logits, whereas an embedding row only matters on the
// tokens that use it, so the output role dominates the damage of a tied matrix. An untied
// input embedding (no lm_head use) has no column weights and gets (2). A tensor the map has
// no score for is not allocated (it keeps its class precision): no score, no estimate.
// Without an error table's SSE (older files with only "error" = mse) D = 1/2 * score * mse *
// numel, the same quantity when numel is known.
// Pure functions; thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/policy/error_table.h"

namespace taskquant::policy {

// Whether the optimal allocation decides this tensor's precision (given a score and an error
// row): block linear weights (taxonomy's isQuantizableWeight), token embeddings and lm_head
// weights (not biases, not learned positions).
bool allocatesPrecision(const std::string& name);

// (2): 1/2 * score * sse. Throws taskquant::Error on negative or non-finite inputs.
double predictedKl(double score, double sse);

struct DamageOptions {
    bool useWeighted = true; // (3) when the table has weighted errors with a real importance
};

// D(t, p) for one error-table cell (column = the table's precision column); nullopt when the
// cell is null (not measured / the precision cannot hold the tensor). numel comes from the
// row, else from its shape.
std::optional<double> tensorDamage(double score, const ErrorRow& row, std::size_t column,
                                   const ErrorTable& table, const DamageOptions& options = {});

// Whether tensorDamage uses the weighted SSE ((3)/(4)) for this table: every row has one and
// the table names its weighting, or every row records a fisher_mean (element-weighted).
bool usesWeightedErrors(const ErrorTable& table, const DamageOptions& options = {});
// "1/2*score*sse", "1/2*score*weighted_sse" or "1/2*score*mse*numel", for provenance.
std::string damageFormula(const ErrorTable& table, const DamageOptions& options = {});

// The scale that maps the model's predictions onto measured KL: exp(median(log(measured /
// predicted))) over the pairs where both are finite and > 0 (an even count takes the mean of
// the two middle logs); 0 when no pair qualifies. The one fit of `validate`
// (eval/damage_validation.h) and the studio's frontier prediction.
double fitScale(const std::vector<double>& predicted, const std::vector<double>& measured);

} // namespace taskquant::policy
