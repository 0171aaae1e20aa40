#pragma once
// What a policy costs, computed once for every caller (the CLI's frontier, the studio's
// frontier view and live cost, the demo):
//  * planSize(): the stored bytes of a plan (each tensor at its effective precision, after the
//    shape fallback) and its parameters; bitsPerWeight() is llama.cpp's definition over them
//    (core/quant/sizes.h: all tensor bytes x 8 / all parameters).
//  * tensorDamageAt(): the damage model's D(t, p) (policy/damage_model.h tensorDamage) of one
//    tensor at the precision it effectively gets; nullopt when the error table has no row for
//    the tensor, no column for the precision, or a null cell there.
//  * policyCost(): the policy over named shapes: exact bytes, bits per weight over
//    `parameters` (all of the model's; 0 gives 0), and the damage sum over tensors with an error
//    row; the score of a tensor comes from `score` (nullopt: the tensor is not counted), or 1
//    everywhere without it (the error-only family's scores). A quantized tensor with a row but
//    no measured error at its precision is counted in `unpredicted` (its damage is unknown,
//    never taken as 0); tensors without a row (norms, stored as is) are not.
// Pure functions; thread-safe. No ATen in this header (the studio includes it).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/export/named_shape.h"
#include "core/policy/error_table.h"
#include "core/policy/policy.h"

namespace taskquant::exporting {

struct TensorPlan; // apply_policy.h

struct PlanSize {
    uint64_t bytes = 0;
    int64_t parameters = 0;
    double bitsPerWeight() const;
};
PlanSize planSize(const std::vector<TensorPlan>& plan);

std::optional<double> tensorDamageAt(const policy::ErrorTable& errors, const std::string& name,
                                     const quant::Precision& effective, double score);

struct PolicyCost {
    uint64_t bytes = 0;
    int64_t parameters = 0;
    double bitsPerWeight = 0;
    double damage = 0;   // the damage model's sum (map units)
    int unpredicted = 0; // quantized tensors whose precision has no measured error
};

using ScoreOf = std::function<std::optional<double>(const std::string& name)>;
PolicyCost policyCost(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                      int64_t parameters, const policy::ErrorTable* errors,
                      const ScoreOf& score = {});

} // namespace taskquant::exporting
