#include "tests/common/imatrix_fixture.h"

#include "core/io/gguf_reader.h"
#include "core/quant/gguf_tensor.h"
#include "core/util/error.h"

namespace tqtest {

std::unordered_map<std::string, std::vector<float>> loadImatrixGguf(const std::string& path) {
    using taskquant::Error;
    const auto file = taskquant::io::GgufFile::open(path);
    const std::string suffix = ".in_sum2";
    std::unordered_map<std::string, std::vector<float>> out;
    for (const auto& t : file->tensors()) {
        if (t.name.size() <= suffix.size() ||
            t.name.compare(t.name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string name = t.name.substr(0, t.name.size() - suffix.size());
        const auto* countsInfo = file->find(name + ".counts");
        if (!countsInfo)
            throw Error(path, "imatrix entry " + name + " has no .counts tensor");
        std::vector<float> sums = taskquant::quant::dequantize(*file, t);
        const std::vector<float> counts = taskquant::quant::dequantize(*file, *countsInfo);
        if (counts.empty() || sums.size() % counts.size() != 0)
            throw Error(path, "imatrix entry " + name + ": " + std::to_string(sums.size()) +
                                  " sums do not split into " + std::to_string(counts.size()) +
                                  " matrices");
        const std::size_t cols = sums.size() / counts.size();
        for (std::size_t i = 0; i < sums.size(); ++i) {
            const float count = counts[i / cols];
            sums[i] = count > 0.0f ? sums[i] / count : 1.0f;
        }
        out.emplace(name, std::move(sums));
    }
    return out;
}

} // namespace tqtest
