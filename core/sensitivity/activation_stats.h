#pragma once
// Activation statistics of a text (the task text of frontier and validate), produced here beside
// the other sensitivity producers (fisher, imatrix): for every linear weight W (y = x W^T), the
// mean squared input activation of each column, w_c = (1/N) sum_tokens x_c^2 over all positions of
// the chunks - the quantity llama.cpp's imatrix tool accumulates, here measured on the task
// text itself. It is the per-column weighting of the damage model's refinement (3)
// (policy/damage_model.h). Weights used more than once per forward (none in the supported
// architectures, the tied lm_head aside) add up all their uses. The sums are imatrix's
// (square_sums.h SquareSums, one observer for both), divided by the positions.
// Blocking; progress per chunk; cancellable between chunks. Not thread-safe per model.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::sensitivity {

// name -> one value per input column (shape.back() of the weight).
std::map<std::string, std::vector<float>>
columnEnergy(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
             const JobControl& job = {});

// Per-weight Fisher of the task text's next-token distributions, for the damage model's
// refinement (4) (policy/damage_model.h). For a linear weight W (y = x W^T) at every position n of
// every chunk, with the labels drawn from the model's own predictions (the true Fisher, one
// Monte-Carlo label per position, generator seeded with `seed`) and g_n = d(sum_m log p(l_m |
// ...)) / d y_n the gradient at that position's output:
//     F_rc = (1/N) sum_n g_{n,r}^2 x_{n,c}^2        (N = positions)
// i.e. the per-position outer products g_n x_n^T squared, summed over positions without the
// cross terms between positions (the K-FAC position independence, not the factorisation
// E[g^2] E[x^2]). A tied embedding is observed as the lm_head linear (its output role).
// name -> row-major [out, in] values. One forward and one backward pass per chunk.
// Blocking; progress per chunk; cancellable between chunks (the observer is removed on every
// exit, models::ObserverScope). Not thread-safe per model; requires_grad and gradients are reset on
// exit.
std::map<std::string, std::vector<float>>
elementFisher(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
              uint64_t seed = 0, const JobControl& job = {});

// The same per-weight Fisher, streamed so that it never holds every weight's values at once:
// the weights named in `weights` (in that order; names the model does not observe as a linear
// weight get nothing) are taken in groups whose float accumulators (4 bytes per weight) fit
// `bufferBytes` (a larger weight forms a group alone), one forward and one backward pass over the
// chunks per group, and `consume(name, values, numel)` receives each weight's [out, in] values
// (row-major, valid during the call) as soon as its group is done (then they are freed). The labels
// are drawn in the first pass and reused, so the values do not depend on the grouping. No weight
// gradients exist: the backward pass starts at the embedding output (the parameters never require
// grad). Accumulation is float (products of each chunk summed in float; the in-memory elementFisher
// sums in double: the two agree to float rounding). Memory: the model + one group + one chunk's
// activations. Progress: "per-weight Fisher" with done/total = (pass, chunk) steps over all passes.
using FisherConsumer =
    std::function<void(const std::string& name, const float* values, int64_t numel)>;
void elementFisherStreamed(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                           uint64_t seed, const std::vector<std::string>& weights,
                           uint64_t bufferBytes, const FisherConsumer& consume,
                           const JobControl& job = {});

// The groups elementFisherStreamed forms: indices into `numels`, in order, each group's sum of
// 4 * numel within bufferBytes unless it holds one weight. Exposed for tests and for progress
// planning.
std::vector<std::vector<std::size_t>> fisherGroups(const std::vector<int64_t>& numels,
                                                   uint64_t bufferBytes);

} // namespace taskquant::sensitivity
