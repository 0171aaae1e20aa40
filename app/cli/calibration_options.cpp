#include "app/cli/calibration_options.h"

#include <cstdlib>

#include "app/cli/task_options.h"

namespace taskquant::cli {

void CalibrationOptions::add(CLI::App& app) {
    app.add_option("MODEL_DIR", modelDir, "Hugging Face model directory")->required();
    app.add_option("--dataset", dataset,
                   "gsm8k, math, wikitext, jsonl, text, or a generated task: "
                   "arithmetic, algebra, stories, lookup, facts (held-out split, --seed)")
        ->required();
    app.add_option("--data", dataPath, "The dataset file (none for the generated tasks)");
    app.add_option("--field", field, "Text field (jsonl; overrides gsm8k/math defaults)");
    app.add_flag("--with-answer", withAnswer, "gsm8k/math: append the answer / solution");
    app.add_option("--samples", samples, "Calibration samples")
        ->check(CLI::Range(int64_t(1), int64_t(1) << 24))
        ->default_val(64);
    app.add_option("--seed", seed, "Sampling seed (generated tasks: seed of the problems)")
        ->default_val(0);
    app.add_option("--max-length", maxLength, "Truncate samples to this many tokens")
        ->check(CLI::Range(int64_t(2), int64_t(1) << 20))
        ->default_val(2048);
    addDeviceOptions(app, device, dtype, /*dtypeFollowsDevice=*/true);
    app.add_option("--out", out, "Output map (JSON)")->required();
    app.add_option("--csv", csv, "Also write the map as CSV");
}

std::vector<std::string> CalibrationOptions::loadTexts() const {
    return sensitivity::loadCalibrationTexts(spec());
}

sensitivity::CalibrationSpec CalibrationOptions::spec() const {
    sensitivity::CalibrationSpec s;
    s.modelDir = modelDir;
    s.data.kind = dataset;
    s.data.path = dataPath;
    s.data.field = field;
    s.data.withAnswer = withAnswer;
    s.samples = samples;
    s.maxLength = maxLength;
    s.seed = seed;
    s.device = effectiveDevice();
    s.dtype = effectiveDtype();
    return s;
}

std::string CalibrationOptions::effectiveDevice() const {
    const char* local = std::getenv("LOCAL_RANK");
    if (device == "cuda" && local && *local &&
        std::string(local).find_first_not_of("0123456789") == std::string::npos)
        return "cuda:" + std::string(local);
    return device;
}

std::string CalibrationOptions::effectiveDtype() const {
    return dtype.empty() ? sensitivity::defaultDtype(device) : dtype;
}

} // namespace taskquant::cli
