#include "views/map_comparison.h"

#include <limits>

#include "core/policy/compare.h"
#include "core/util/error.h"

namespace taskquant::views {

MapComparison compareMaps(const sensitivity::SensitivityMap& a,
                          const sensitivity::SensitivityMap& b, bool normaliseToMax) {
    MapComparison out;
    out.spearman = out.kendall = std::numeric_limits<double>::quiet_NaN();
    policy::MapComparison c;
    try {
        policy::CompareOptions o;
        o.normaliseToMax = normaliseToMax;
        c = policy::compareMaps(a, b, o);
    } catch (const taskquant::Error&) {
        return out; // nothing in common
    }
    out.rows.reserve(c.tensors.size());
    for (const auto& t : c.tensors)
        out.rows.push_back(
            {QString::fromStdString(t.name), t.a, t.b, t.rankA, t.rankB, t.log2Ratio});
    out.spearman = c.spearman;
    out.kendall = c.kendall;
    return out;
}

QStringList silentTensorNames(const sensitivity::SensitivityMap& fisher,
                              const sensitivity::SensitivityMap& magnitude, int count) {
    QStringList out;
    try {
        for (const auto& s : policy::silentTensors(fisher, magnitude)) {
            if (out.size() >= count)
                break;
            out.push_back(QString::fromStdString(s.name));
        }
    } catch (const taskquant::Error&) {
    }
    return out;
}

} // namespace taskquant::views
