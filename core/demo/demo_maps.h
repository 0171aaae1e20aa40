#pragma once
// The demo's sensitivity maps of a model directory: Fisher on held-out synthetic arithmetic (task
// A), Fisher on held-out synthetic stories (task B; full problem + worked solution texts, test
// splits), and the squared-L2 magnitude map. The problems are those of the file-less dataset
// kinds (data::loadTexts with kind "arithmetic" / "stories", count `samples`, seed `seed`), each
// encoded BOS + text + EOS.
// Provenance carries the model fingerprint and the dataset names "synthetic-arithmetic" /
// "synthetic-stories". Blocking, CPU fp32; progress and cancel through JobControl (fractions:
// arithmetic 0-0.5, stories 0.5-1).
#include <cstdint>
#include <string>

#include "core/jobs/progress.h"
#include "core/sensitivity/sensitivity_map.h"

namespace taskquant::demo {

struct DemoMapsOptions {
    int64_t samples = 64;    // per task
    uint64_t seed = 0;       // of the generated held-out problems
    int64_t maxLength = 256; // tokens per sample
};

struct DemoMaps {
    sensitivity::SensitivityMap arithmetic, stories, magnitude;
};

DemoMaps computeDemoMaps(const std::string& modelDir, const DemoMapsOptions& options = {},
                         const JobControl& job = {});

} // namespace taskquant::demo
