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
    double damage = 0;   // the damage model's sum (predictDamage: damage units)
    int unpredicted = 0; // quantized tensors whose precision has no measured error
};

using ScoreOf = std::function<std::optional<double>(const std::string& name)>;

// The damage model as ONE function (policy/damage_model.h): a policy, the shapes of its tensors,
// the measured error table and the task's statistics -> predicted KL per tensor and in total.
// Every caller that shows or compares predicted damage goes through it (policyCost, LiveCost
// per tensor through tensorDamageAt, validate's whole policies, the frontier's points, the
// studio's export dialog and the demo).
//  * level: each tensor's level (the `score` of damage_model.h): the mean of the task text's
//    per-weight Fisher (the default model, (4') of damage_model.h: with Fisher-weighted errors
//    1/2 * level * weighted_sse = 1/2 sum_i F_i delta_i^2, nats per token), a map's score, or
//    empty = 1 everywhere; nullopt for a tensor = not counted;
//  * klPerUnit: the calibration, nats of KL per token per unit of damage: 1 for the task text's
//    Fisher (already nats; `validate` measures how well: calibration ratio), the fitted
//    measured / predicted (policy::fitScale) for a map's scores.
// kld = klPerUnit * damage; `unpredicted` counts quantized tensors with a row but no measured
// error at their precision (unknown, never taken as 0). Pure; thread-safe.
struct TaskStatistics {
    ScoreOf level;
    double klPerUnit = 1;
    std::string model = "1/2*fisher_mean*weighted_sse"; // provenance text
};
struct TensorPrediction {
    std::string name;
    quant::Precision effective;
    double damage = 0; // damage units (x klPerUnit = nats)
};
struct DamagePrediction {
    std::vector<TensorPrediction> tensors; // the tensors counted, in `shapes` order
    double damage = 0;
    double kld = 0;
    int unpredicted = 0;
};
DamagePrediction predictDamage(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                               const policy::ErrorTable& errors, const TaskStatistics& task);

// The damage model's levels from the error table itself: each row's mean per-weight Fisher of
// the task text ("fisher_mean", written where errors were weighted by it), nullopt for rows
// without one. Null when the table records none (then the caller needs a map's scores).
ScoreOf tableLevels(const policy::ErrorTable& errors);

PolicyCost policyCost(const policy::Policy& policy, const std::vector<NamedShape>& shapes,
                      int64_t parameters, const policy::ErrorTable* errors,
                      const ScoreOf& score = {});

} // namespace taskquant::exporting
