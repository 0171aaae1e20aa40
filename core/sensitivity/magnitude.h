#pragma once
// Weight-magnitude sensitivity: per weight tensor the squared L2 norm (the study's code) or the
// L1 norm (its notes), optionally divided by the parameter count. Blocking; reads the model only.
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
