#pragma once
// Turns a sensitivity map into a Policy.
// Candidates are the map's quantizable linear weights (taxonomy: block q/k/v/o/gate/up/down/
// fc1/fc2 weights); thresholds are computed over their scores only, as the study does.
// Embeddings, lm_head, norms, biases and unknown tensors follow BuildOptions::base.
//  * selection methods (pct, otsu, elbow, gradient, cumulative, knapsack, blocks): kept
//    tensors get `high` as an override, the default precision is `low`.
//  * optimal: every candidate picks one of `choices` minimising
//      sum score * error(tensor, precision) [* numel when weightByNumel]
//    under a byte budget (allocator.h). error comes from an ErrorTable, or, with bitsProxy,
//    from the weight-free proxy error = 2^(-2 * bits) (0 for f16/bf16/f32): the relative
//    mean squared error of uniform rounding to `bits` bits up to a constant, identical for
//    every tensor; a stand-in until measured errors are available. The budget is either
//    budgetMiB for the whole set of map tensors (the non-candidates at their base precision
//    count against it) or averageBits over the candidates' weights, or budgetBytes: exact
//    bytes for every tensor known (the map's and those in `shapes` that the map lacks, the
//    non-candidates at their class precision), i.e. the stored size of the whole model.
//    The default precision becomes the one chosen most often; the other choices are overrides.
//    damageModel: cost = the damage model's predicted KL (damage_model.h: 1/2 score SSE, or
//    the importance-weighted SSE) instead of score * error; needs `errors`.
//    flatScores: every score taken as 1 (the allocation then sees the errors alone: the
//    "no map" baseline).
//    allocateEmbeddings (default on): the token embeddings and lm_head weights that the error
//    table has a row for are allocated as well, with the same damage model (damage_model.h:
//    the map's score of that tensor; a tied embedding is costed output-side), instead of
//    sitting at `base`'s embeddings / lm_head precision; their choice is always an override.
//    Without an error table (bits proxy) or a row for them they follow `base`.
//    pinned: explicit precisions that are hard constraints (candidates get exactly that
//    option; other tensors are counted at it); they become overrides of the policy.
//    tensorBytes: the stored bytes of one tensor at a requested precision as the target file
//    stores it (shape fallback, the file's type, every copy of it); unset = Precision::bytes.
//    Budgets and the allocation's options count with it, so a budget bounds the file's tensor
//    bytes exactly (exporting::GgufTensorSizes sets it for GGUF); fixedBytes: bytes of the
//    file that no precision changes (generated tensors), counted against budgetBytes /
//    budgetMiB. sizeRule: what the bytes count, recorded in the provenance.
// Shapes: a map entry's shape, else `shapes`, else the error table's. knapsack and optimal
// need every candidate's shape, budgetMiB every tensor's; the estimate counts what it can.
// Blocking; cancellable through `job` (optimal only takes noticeable time).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/policy/allocator.h"
#include "core/policy/error_table.h"
#include "core/policy/policy.h"
#include "core/policy/selection.h"
#include "core/sensitivity/sensitivity_map.h"
#include "core/util/error.h"

namespace taskquant::policy {

struct BuildOptions {
    std::string method = "pct"; // a selection method name (selection.h) or "optimal"
    SelectionParams selection;  // its method field is set from `method`
    quant::Precision high = quant::Precision::parse("f16");
    quant::Precision low = quant::Precision::parse("int4_g128");
    // optimal
    std::vector<quant::Precision> choices;
    const ErrorTable* errors = nullptr;
    bool bitsProxy = false;
    bool weightByNumel = false;
    bool damageModel = false;
    bool flatScores = false;
    bool allocateEmbeddings = true;
    std::map<std::string, quant::Precision> pinned;
    std::function<uint64_t(const std::string& name, const std::vector<int64_t>& shape,
                           const quant::Precision& requested)>
        tensorBytes;
    uint64_t fixedBytes = 0;
    std::string sizeRule;
    std::optional<uint64_t> budgetBytes;
    std::optional<double> budgetMiB;
    std::optional<double> averageBits;
    AllocatorOptions allocator;
    // shapes not in the map (for example from a checkpoint's headers)
    std::map<std::string, std::vector<int64_t>> shapes;
    // embeddings / lm_head / norms / biases / other / reference / scheme to start from
    Policy base;
};

struct BuildResult {
    Policy policy;
    std::optional<Selection> selection;   // selection methods
    std::optional<Allocation> allocation; // optimal
    std::vector<std::string> candidates;  // the tensors decided on, in map order
};

// Thrown by buildPolicy ("optimal") when the budget is below the smallest size the choices
// allow; the message names the budget given and the smallest reachable size. smallestBytes():
// that smallest size in the budget's own bytes (budgetBytes / budgetMiB: every counted tensor,
// fixed bytes included; averageBits: the candidates' bytes only), so a caller can restate it in
// its user's unit.
class UnreachableBudget : public Error {
  public:
    UnreachableBudget(const std::string& message, uint64_t smallestBytes)
        : Error(message), smallestBytes_(smallestBytes) {}
    uint64_t smallestBytes() const { return smallestBytes_; }

  private:
    uint64_t smallestBytes_ = 0;
};

BuildResult buildPolicy(const sensitivity::SensitivityMap& map, const BuildOptions& options,
                        const JobControl& job = {});

// Shapes of every map tensor from the same sources buildPolicy uses (map, extra, errors).
std::vector<TensorShape> shapesOf(const sensitivity::SensitivityMap& map,
                                  const std::map<std::string, std::vector<int64_t>>& extra = {},
                                  const ErrorTable* errors = nullptr);

} // namespace taskquant::policy
