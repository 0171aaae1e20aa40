#pragma once
// The fixed policies the size-quality frontier (frontier.h) compares the optimal allocations
// with, behind one function so new families plug in with a few lines:
//  * kind "uniform": every quantizable linear weight at one type (the rest at the base
//    policy's precisions), for each type given;
//  * kind "recipe": llama.cpp's named mixes (Q2_K ... Q6_K, Q4_0, IQ4_XS, ...; every name of
//    policy::recipeNames() but F16/BF16/F32), each tensor as llama-quantize chooses it, for
//    the architectures llama.cpp's mixes cover (none for the others). `tensors` must list
//    every parameter of the model (norms included), as exporting::parameterShapes does.
// Pure function; thread-safe. Throws taskquant::Error when a mix cannot name a tensor.
#include <string>
#include <vector>

#include "core/export/apply_policy.h"
#include "core/models/model_config.h"
#include "core/policy/policy.h"
#include "core/quant/precision.h"

namespace taskquant::eval {

struct FrontierPolicy {
    std::string label;     // "q4_0", "Q4_K_M", "optimal fisher @4.5", ...
    std::string kind;      // "uniform" | "recipe" | "optimal"
    std::string signal;    // "none" for baselines; the map's method for optimal
    double budgetBits = 0; // optimal: the budget in bits per weight; 0 otherwise
    policy::Policy policy;
    std::string map;          // optimal: the label of the map (driver) that allocated it
    std::string budgetRecipe; // optimal: the llama.cpp mix whose size is the budget; "" = --bits
};

std::vector<FrontierPolicy> baselinePolicies(const std::vector<exporting::NamedShape>& tensors,
                                             const models::ModelConfig& config,
                                             const std::vector<quant::Precision>& uniformTypes,
                                             const policy::Policy& base);

} // namespace taskquant::eval
