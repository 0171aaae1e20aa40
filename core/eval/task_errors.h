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
// Streamed (memory): the per-weight Fisher comes group by group (sensitivity::
// elementFisherStreamed, at most streamBytes of float values at once; 0 = automatic: an eighth
// of the model's weight bytes in their dtype + 256 MiB, at most the weights' bytes and a quarter
// of the available memory beside the weights, at least 64 MiB; taskErrorsStreamBytes), each
// weight's rows are measured as soon as its Fisher exists, from one fp32 copy of that weight alone;
// only the table's numbers stay. `fisherMean` (optional) receives each tensor's mean per-weight
// Fisher (the task-Fisher family's scores; the rows' fisher_mean holds the same). Blocking;
// progress over the stages (activations, then Fisher passes and error pairs, with counts);
// cancellable.
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
    int fisherSamples = 1; // label draws per chunk
    int threads = 0;       // error measurement (0 = all cores)
    quant::ImportanceLookup importance;
    uint64_t streamBytes = 0; // per-weight Fisher values at once (bytes); 0 = automatic
};

// streamBytes as measureTaskErrors resolves it.
uint64_t taskErrorsStreamBytes(const models::CausalLM& model, const TaskErrorOptions& options);

// Estimated core-seconds of each stage (for progress and time left): one forward pass of P
// parameters over T tokens ~ 2 P T flops at ~60 GFLOP/s, the per-weight Fisher about five of
// those (one label draw), one (weight, precision) error pair ~40 ns per weight. fisherPasses:
// the Fisher's groups (each recomputes only its own layers).
struct TaskErrorsCost {
    double activations = 0, fisher = 0, errors = 0;
    std::size_t fisherPasses = 0;
    double total() const { return activations + fisher + errors; }
};
TaskErrorsCost taskErrorsCost(const models::CausalLM& model, int64_t tokens, std::size_t candidates,
                              const TaskErrorOptions& options);

policy::ErrorTable
measureTaskErrors(models::CausalLM& model, const std::vector<std::vector<int64_t>>& chunks,
                  const std::vector<quant::Precision>& candidates, const TaskErrorOptions& options,
                  std::map<std::string, double>* fisherMean = nullptr, const JobControl& job = {});

} // namespace taskquant::eval
