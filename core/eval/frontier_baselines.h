#pragma once
// The fixed policies the size-quality frontier (frontier.h) compares the optimal allocations
// with, behind one function so new families plug in with a few lines:
//  * kind "uniform": every quantizable linear weight at one type (the rest at the base
//    policy's precisions), for each type given;
//  * kind "recipe": llama.cpp's named mixes (Q4_K_M, ...) — to be added here once
//    core/policy/recipes.h (recipePolicy(name, tensor names/shapes, config)) is on this
//    branch: loop over its recipe names and push {name, "recipe", "none", recipePolicy(...)}.
// Pure function; thread-safe.
#include <string>
#include <vector>

#include "core/models/model_config.h"
#include "core/policy/policy.h"
#include "core/quant/apply_policy.h"
#include "core/quant/precision.h"

namespace taskquant::eval {

struct FrontierPolicy {
    std::string label;  // "q4_0", "Q4_K_M", "optimal fisher @4.5", ...
    std::string kind;   // "uniform" | "recipe" | "optimal"
    std::string signal; // "none" for baselines; the map's method for optimal
    double budgetBits = 0; // optimal: the budget in bits per weight; 0 otherwise
    policy::Policy policy;
};

std::vector<FrontierPolicy> baselinePolicies(const std::vector<quant::NamedShape>& tensors,
                                             const models::ModelConfig& config,
                                             const std::vector<quant::Precision>& uniformTypes,
                                             const policy::Policy& base);

} // namespace taskquant::eval
