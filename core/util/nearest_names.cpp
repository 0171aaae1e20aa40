#include "core/util/nearest_names.h"

#include <algorithm>
#include <numeric>

namespace taskquant {

namespace {
std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t(0));
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}
} // namespace

std::vector<std::string> nearestNames(const std::string& name,
                                      const std::vector<std::string>& candidates,
                                      std::size_t count) {
    std::vector<std::pair<std::size_t, std::size_t>> d; // distance, index
    for (std::size_t i = 0; i < candidates.size(); ++i)
        d.push_back({editDistance(name.substr(0, 512), candidates[i].substr(0, 512)), i});
    std::stable_sort(d.begin(), d.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (std::size_t k = 0; k < d.size() && k < count; ++k)
        out.push_back(candidates[d[k].second]);
    return out;
}

std::string nearestNamesText(const std::string& name, const std::vector<std::string>& candidates,
                             std::size_t count) {
    std::string s;
    for (const auto& n : nearestNames(name, candidates, count))
        s += (s.empty() ? "" : ", ") + n;
    return s.empty() ? "(none)" : s;
}

} // namespace taskquant
