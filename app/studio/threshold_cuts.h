#pragma once
// The regions view's CutProvider: the study's threshold methods from core/policy/selection.h
// (pct keep 20 %, Otsu, elbow, gradient ratio 0.05, cumulative share 0.95 - the CLI's
// defaults) over the map's quantizable linear weights, as the study computes them.
// Pure; thread-safe.
#include "views/threshold_cut.h"

namespace taskquant::studio {

views::ThresholdRegions studyThresholdRegions(const sensitivity::SensitivityMap& map);

} // namespace taskquant::studio
