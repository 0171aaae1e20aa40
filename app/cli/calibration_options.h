#pragma once
// Options shared by the sample-based sensitivity commands (fisher, perturbation): the model,
// device and dtype, the dataset and sampling, the output map; and preparing token samples from
// them (core/sensitivity/map_runs.h does the work). Data problems are reported before any model
// work starts.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/sensitivity/map_runs.h"

namespace taskquant::cli {

struct CalibrationOptions {
    std::string modelDir, dataset, dataPath, field, out, csv, device = "cpu", dtype;
    bool withAnswer = false;
    int64_t samples = 64, maxLength = 2048;
    uint64_t seed = 0;

    void add(CLI::App& app);
    // The texts, sampled (validated before any model work).
    std::vector<std::string> loadTexts() const;
    // "cuda" becomes "cuda:$LOCAL_RANK" under torchrun, so each rank uses its own GPU.
    std::string effectiveDevice() const;
    // dtype default: bf16 on CUDA, fp32 on the CPU.
    std::string effectiveDtype() const;
    // The options as core's calibration spec (effective device and dtype).
    sensitivity::CalibrationSpec spec() const;
};

using sensitivity::tokenizeSamples; // core/sensitivity/map_runs.h

} // namespace taskquant::cli
