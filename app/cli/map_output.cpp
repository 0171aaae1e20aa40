#include "app/cli/map_output.h"

#include <cstdio>
#include <iostream>

#include "core/io/atomic_file.h"

namespace taskquant::cli {

void writeMapOutputs(const sensitivity::SensitivityMap& map, const std::string& jsonPath,
                     const std::string& csvPath, int top) {
    map.writeFile(jsonPath);
    if (!csvPath.empty())
        io::writeFileAtomically(csvPath, map.toCsv());
    const auto ranks = map.ranks();
    std::vector<std::size_t> order(map.size());
    for (std::size_t i = 0; i < map.size(); ++i)
        order[ranks[i] - 1] = i;
    const auto& pv = map.provenance();
    std::printf("%s map of %zu tensors", pv.method.c_str(), map.size());
    if (pv.samples)
        std::printf(" from %lld samples (%lld tokens, %lld skipped)", (long long)pv.samples,
                    (long long)pv.tokens, (long long)pv.skippedSamples);
    if (pv.clipThreshold)
        std::printf(", clip threshold %.4g (%.2f%% clipped)", *pv.clipThreshold, 100 * pv.clipRate);
    std::printf(", %.1f s\n", pv.wallSeconds);
    std::printf("most sensitive:\n");
    for (int k = 0; k < top && k < static_cast<int>(order.size()); ++k) {
        const auto& e = map.entries()[order[k]];
        std::printf("  %2d. %-52s %.6g\n", k + 1, e.name.c_str(), e.score);
    }
    std::printf("wrote %s%s%s\n", jsonPath.c_str(), csvPath.empty() ? "" : " and ",
                csvPath.c_str());
}

} // namespace taskquant::cli
