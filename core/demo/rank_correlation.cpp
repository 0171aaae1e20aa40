#include "core/demo/rank_correlation.h"

namespace taskquant::demo {

MapCorrelation spearman(const sensitivity::SensitivityMap& a,
                        const sensitivity::SensitivityMap& b) {
    std::vector<double> xa, xb;
    for (const auto& e : a.entries())
        if (const auto* f = b.find(e.name)) {
            xa.push_back(e.score);
            xb.push_back(f->score);
        }
    return {policy::spearman(xa, xb), xa.size()};
}

} // namespace taskquant::demo
