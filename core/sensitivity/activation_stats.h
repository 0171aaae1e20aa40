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
class SquareSums;
// The same means from sums a SquareSums gathered (e.g. during elementFisherStreamed's first pass).
std::map<std::string, std::vector<float>> columnEnergy(const models::CausalLM& model,
                                                       const SquareSums& sums);

// Per-weight Fisher of the task text's next-token distributions, for the damage model's
// refinement (4) (policy/damage_model.h). For a linear weight W (y = x W^T) at every position n of
// every chunk, with the labels drawn from the model's own predictions (the true Fisher, one
// Monte-Carlo label per position, generator seeded with `seed`) and g_n = d(sum_m log p(l_m |
// ...)) / d y_n the gradient at that position's output:
//     F_rc = (1/N) sum_n g_{n,r}^2 x_{n,c}^2        (N = positions)
// i.e. the per-position outer products g_n x_n^T squared, summed over positions without the
// cross terms between positions (the K-FAC position independence, not the factorisation
// E[g^2] E[x^2]). The token embedding (y_n = W[id_n]) gets its Fisher per row from the gathered
// gradients: F_vc = (1/N) sum_{n: id_n = v} g_{n,c}^2 (rows of tokens the text never uses: 0). A
// tied matrix adds both uses (the lm_head linear and the lookup).
// name -> row-major [out, in] values. `samples` label draws per chunk (their mean; one forward and
// one backward pass each). It is elementFisherStreamed over every 2-D parameter in one group
// (float accumulation; no weight gradients).
// Blocking; progress per chunk; cancellable between chunks (the observer is removed on every
// exit, models::ObserverScope). Not thread-safe per model.
std::map<std::string, std::vector<float>>
elementFisher(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
              uint64_t seed = 0, const JobControl& job = {}, int samples = 1);

// The task text's second-order KL of given weight errors, with the full per-position Fisher
// instead of its diagonal (policy/damage_model.h, model (5)). For weight W with error Delta and,
// at every position n, input x_n and output gradient g_n (labels drawn from the model as in
// elementFisher):
//     D(Delta) = 1/2 * (1/N) sum_n ( g_n . (Delta x_n) )^2      nats per position
// summed over all uses of W at that position before squaring (a tied matrix: lookup and lm_head);
// an embedding lookup y_n = W[id_n] contributes g_n . Delta[id_n]. Unlike the diagonal
// (1/2 sum_rc F_rc Delta_rc^2) it sees errors that add up along a row (a quantizer's bias, the
// mean of Delta, against the mean activation) and cancel across rows whose gradients are
// correlated. `deltas`: name -> [K, out, in] candidate errors (any float type, CPU or the model's
// device); the result: name -> K values. `samples` label draws per chunk (one backward pass
// each). Blocking; progress per pass; cancellable between passes. Not thread-safe per model.
// crossPositions: square the sum over a chunk's positions instead (1/2 (1/N) sum_chunks (sum_n
// g_n . Delta x_n)^2): the Fisher of the whole window with the terms between positions, unbiased
// but noisier.
struct TextDamageOptions {
    uint64_t seed = 0;
    int samples = 1;
    bool crossPositions = false;
};
std::map<std::string, std::vector<double>>
textDamage(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
           const std::map<std::string, at::Tensor>& deltas, const TextDamageOptions& options = {},
           const JobControl& job = {});

// The same per-weight Fisher, streamed so that it never holds every weight's values at once:
// the weights named in `weights` (in that order; names the model does not observe as a linear
// weight or an embedding lookup get nothing) are taken in groups whose float accumulators (4 bytes
// per weight) fit `bufferBytes` (a larger weight forms a group alone), and `consume(name, values,
// numel)` receives each weight's [out, in] values (row-major, valid during the call) as soon as its
// group is done (then they are freed).
// How: one forward pass over each chunk, layer by layer (CausalLM::segments), the labels drawn
// from it, and one backward pass per draw; kept: the hidden state at every layer boundary and, per
// draw, its gradient, in the compute dtype. Then, group by group, only the segments that use the
// group's weights (a decoder layer, the final norm + lm_head, the embedding lookup) are recomputed
// from their kept input, with the kept gradient (the head: the kept labels) at their output: the
// same gradients as the whole pass, about one more forward and backward pass in all whatever the
// grouping. The values do not depend on the grouping. No weight gradients exist (the parameters
// never require grad). Accumulation is float. An embedding lookup's rows gather their outputs'
// g^2 (a tied matrix adds both of its uses).
// Memory: the model + one group + one chunk's activations (the whole pass's once per chunk; then
// one layer's) + the kept states: models::boundaryStateBytes of tokens x (1 + samples), in the
// compute dtype. Progress: "per-weight Fisher" with done/total in layer-steps
// ((layers + 2) per chunk for the first pass, then one per recomputed segment and chunk).
using FisherConsumer =
    std::function<void(const std::string& name, const float* values, int64_t numel)>;
// `firstPass` (optional) also observes the first pass's forward passes (one per chunk), e.g. a
// SquareSums for the activation statistics of the same chunks without a pass of their own.
void elementFisherStreamed(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                           uint64_t seed, const std::vector<std::string>& weights,
                           uint64_t bufferBytes, const FisherConsumer& consume,
                           const JobControl& job = {}, int samples = 1,
                           models::ForwardObserver* firstPass = nullptr);

// The groups elementFisherStreamed forms: indices into `numels`, in order, each group's sum of
// 4 * numel within bufferBytes unless it holds one weight. With `segments` (one key per weight:
// the part of the forward pass that uses it), a group that would split a segment ends instead
// before that segment's first weight when it holds an earlier segment too, so that a segment
// is recomputed by one group only unless it alone exceeds the buffer. Exposed for tests.
std::vector<std::vector<std::size_t>> fisherGroups(const std::vector<int64_t>& numels,
                                                   uint64_t bufferBytes,
                                                   const std::vector<int>& segments = {});

} // namespace taskquant::sensitivity
