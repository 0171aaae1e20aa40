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
// the SSE again when all w_c are equal. (3) is used whenever the table has weighted errors made
// with a real importance vector; otherwise (2).
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
// Without an error table's SSE (older files with only "error" = mse) D = 1/2 * score * mse *
// numel, the same quantity when numel is known.
// Pure functions; thread-safe.
#include <cstdint>
#include <optional>
#include <string>

#include "core/policy/error_table.h"

namespace taskquant::policy {

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

// Whether tensorDamage uses (3) for this table.
bool usesWeightedErrors(const ErrorTable& table, const DamageOptions& options = {});
// "1/2*score*sse", "1/2*score*weighted_sse" or "1/2*score*mse*numel", for provenance.
std::string damageFormula(const ErrorTable& table, const DamageOptions& options = {});

} // namespace taskquant::policy
