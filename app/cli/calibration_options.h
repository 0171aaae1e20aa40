#pragma once
// Options shared by the sample-based sensitivity commands (fisher, perturbation): the model,
// device and dtype, the dataset and sampling, the output map; and preparing token samples from
// them. Data problems are reported before any model work starts.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace taskquant::cli {

struct CalibrationOptions {
    std::string modelDir, dataset, dataPath, field, out, csv, device = "cpu", dtype;
    bool withAnswer = false;
    int64_t samples = 64, maxLength = 2048;
    uint64_t seed = 0;

    void add(CLI::App& app);
    // The texts, sampled (validated before any model work).
    std::vector<std::string> loadTexts() const;
    // dtype default: bf16 on CUDA, fp32 on the CPU.
    std::string effectiveDtype() const;
};

// Tokenizes texts with the model's tokenizer (BOS as configured), truncated to maxLength.
std::vector<std::vector<int64_t>> tokenizeSamples(const std::string& modelDir,
                                                  const std::vector<std::string>& texts,
                                                  int64_t maxLength);

} // namespace taskquant::cli
