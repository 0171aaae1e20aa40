#pragma once
// What the regions view draws: the candidate tensors' scores sorted descending and, per
// threshold method, the tensors it keeps (a prefix of that order, since threshold methods keep
// score >= threshold). A CutProvider computes them for a map; the studio plugs in
// core/policy's selection methods, so the view knows none itself.
#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::views {

struct ThresholdCut {
    QString method; // "pct", "otsu", "elbow", "gradient", "cumulative"
    QString label;  // legend text, e.g. "otsu: keep 41"
    double threshold = 0;
    QStringList kept; // tensors kept at high precision
};

struct ThresholdRegions {
    QStringList names;          // candidates, by descending score
    std::vector<double> scores; // their scores
    std::vector<ThresholdCut> cuts;
    QString error; // why no cut could be computed, if so
};

using CutProvider = std::function<ThresholdRegions(const sensitivity::SensitivityMap&)>;

} // namespace taskquant::views
