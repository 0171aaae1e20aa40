#include "app/cli/calibration_options.h"

#include "core/data/dataset_spec.h"
#include "core/data/load_texts.h"
#include "core/data/sampling.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::cli {

void CalibrationOptions::add(CLI::App& app) {
    app.add_option("MODEL_DIR", modelDir, "Hugging Face model directory")->required();
    app.add_option("--dataset", dataset, "gsm8k, math, wikitext, jsonl or text")->required();
    app.add_option("--data", dataPath, "The dataset file")->required();
    app.add_option("--field", field, "Text field (jsonl; overrides gsm8k/math defaults)");
    app.add_flag("--with-answer", withAnswer, "gsm8k/math: append the answer / solution");
    app.add_option("--samples", samples, "Calibration samples")->check(CLI::Range(int64_t(1), int64_t(1) << 24))->default_val(64);
    app.add_option("--seed", seed, "Sampling seed")->default_val(0);
    app.add_option("--max-length", maxLength, "Truncate samples to this many tokens")->check(CLI::Range(int64_t(2), int64_t(1) << 20))->default_val(2048);
    app.add_option("--device", device, "cpu, cuda or cuda:N")->default_val("cpu");
    app.add_option("--dtype", dtype, "fp32, bf16 or fp16 (default: bf16 on CUDA, fp32 on CPU)");
    app.add_option("--out", out, "Output map (JSON)")->required();
    app.add_option("--csv", csv, "Also write the map as CSV");
}

std::vector<std::string> CalibrationOptions::loadTexts() const {
    auto spec = data::makeDatasetSpec(dataset, dataPath, field, withAnswer);
    auto texts = data::loadTexts(spec);
    return data::sampleTexts(texts, static_cast<std::size_t>(samples), seed);
}

std::string CalibrationOptions::effectiveDtype() const {
    if (!dtype.empty()) return dtype;
    return device.rfind("cuda", 0) == 0 ? "bf16" : "fp32";
}

std::vector<std::vector<int64_t>> tokenizeSamples(const std::string& modelDir,
                                                  const std::vector<std::string>& texts,
                                                  int64_t maxLength) {
    auto tok = tokenize::loadTokenizer(modelDir);
    std::vector<std::vector<int64_t>> out;
    out.reserve(texts.size());
    for (const auto& t : texts) {
        auto ids = tok->encode(t, true);
        if (static_cast<int64_t>(ids.size()) > maxLength) ids.resize(static_cast<std::size_t>(maxLength));
        out.emplace_back(ids.begin(), ids.end());
    }
    return out;
}

} // namespace taskquant::cli
