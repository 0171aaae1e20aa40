#pragma once
// Activation statistics of the task text: for every linear weight W (y = x W^T), the mean
// squared input activation of each column, w_c = (1/N) sum_tokens x_c^2 over all positions of
// the chunks - the quantity llama.cpp's imatrix tool accumulates, here measured on the task
// text itself. It is the per-column weighting of the damage model's refinement (3)
// (damage_model.h). Weights used more than once per forward (none in the supported
// architectures, the tied lm_head aside) add up all their uses.
// Blocking; progress per chunk; cancellable between chunks. Not thread-safe per model.
#include <map>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::eval {

// name -> one value per input column (shape.back() of the weight).
std::map<std::string, std::vector<float>> columnEnergy(models::CausalLM& model,
                                                       const std::vector<std::vector<int64_t>>& chunks,
                                                       const JobControl& job = {});

} // namespace taskquant::eval
