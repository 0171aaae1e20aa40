#include "app/studio/threshold_cuts.h"

#include <QCoreApplication>
#include <algorithm>

#include "core/models/taxonomy.h"
#include "core/policy/selection.h"
#include "core/util/error.h"

namespace taskquant::studio {

views::ThresholdRegions studyThresholdRegions(const sensitivity::SensitivityMap& map) {
    views::ThresholdRegions r;
    std::vector<policy::Candidate> candidates;
    for (const auto& e : map.entries())
        if (models::classify(e.name).isQuantizableWeight())
            candidates.push_back({e.name, e.score, 0, 0});
    auto sorted = candidates;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.score > b.score; });
    for (const auto& c : sorted) {
        r.names << QString::fromStdString(c.name);
        r.scores.push_back(c.score);
    }
    if (candidates.empty()) {
        r.error = QCoreApplication::translate("ThresholdCuts",
                                              "no quantizable linear weights in this map");
        return r;
    }
    using M = policy::SelectionMethod;
    for (M m : {M::Percentile, M::Otsu, M::Elbow, M::Gradient, M::Cumulative}) {
        policy::SelectionParams p;
        p.method = m;
        try {
            const policy::Selection s = policy::selectProtected(candidates, p);
            views::ThresholdCut cut;
            cut.method = QString::fromStdString(policy::selectionMethodName(m));
            cut.threshold = s.threshold.value_or(0);
            for (const auto& k : s.kept)
                cut.kept << QString::fromStdString(k);
            cut.label = QCoreApplication::translate("ThresholdCuts", "%1: keep %2 of %3")
                            .arg(cut.method)
                            .arg(cut.kept.size())
                            .arg(candidates.size());
            r.cuts.push_back(cut);
        } catch (const taskquant::Error& e) {
            r.error = QString::fromUtf8(e.what());
        }
    }
    return r;
}

} // namespace taskquant::studio
