#pragma once
// Weight-magnitude sensitivity: per weight tensor the squared L2 norm (the study's code) or the
// L1 norm (its notes), optionally divided by the parameter count. Blocking; reads the model only.
// NaN / Inf weights are never folded into a score: they are left out (the norm is over the
// finite weights) and counted in provenance.settings: "non_finite_weights" (how many) and
// "non_finite_tensors" (which tensors).
#include "core/jobs/progress.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::models {
class CausalLM;
}

namespace taskquant::sensitivity {

enum class MagnitudeNorm { L2Squared, L1 };

SensitivityMap computeMagnitude(const models::CausalLM& model, MagnitudeNorm norm,
                                bool perParameter, const JobControl& job = {});

} // namespace taskquant::sensitivity
