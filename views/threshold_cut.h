#pragma once
// ThresholdCut: where a threshold method cuts a map's descending score curve (keep the
// `keep` highest-scoring tensors at high precision). CutProvider computes them for a map;
// the studio plugs in core/policy's threshold methods, so the view knows none itself.
#include <QString>
#include <functional>
#include <vector>

#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::views {

struct ThresholdCut {
    QString method; // "otsu", "elbow", "pct", ...
    QString label;  // what the legend says, e.g. "Otsu (keep 41)"
    int keep = 0;   // tensors kept, 0..n
};

using CutProvider = std::function<std::vector<ThresholdCut>(const sensitivity::SensitivityMap&)>;

} // namespace taskquant::views
