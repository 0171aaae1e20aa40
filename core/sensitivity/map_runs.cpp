#include "core/sensitivity/map_runs.h"

#include <algorithm>

#include "core/data/load_texts.h"
#include "core/data/sampling.h"
#include "core/models/fingerprint.h"
#include "core/models/model_loader.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::sensitivity {

std::string defaultDtype(const std::string& device) {
    return device.rfind("cuda", 0) == 0 ? "bf16" : "fp32";
}

std::vector<std::string> loadCalibrationTexts(const CalibrationSpec& spec) {
    data::DatasetSpec d = data::makeDatasetSpec(spec.data.kind, spec.data.path, spec.data.field,
                                                spec.data.withAnswer);
    d.limits = spec.data.limits;
    if (spec.samples < 1)
        throw Error("samples must be at least 1");
    d.seed = spec.seed; // file-less kinds: exactly `samples` held-out problems from the seed
    d.count = static_cast<std::size_t>(spec.samples);
    auto texts = data::loadTexts(d);
    return data::sampleTexts(texts, static_cast<std::size_t>(spec.samples), spec.seed);
}

std::vector<std::vector<int64_t>> tokenizeSamples(const std::string& modelDir,
                                                  const std::vector<std::string>& texts,
                                                  int64_t maxLength) {
    if (maxLength < 2)
        throw Error("max length must be at least 2 tokens");
    auto tok = tokenize::loadTokenizer(modelDir);
    std::vector<std::vector<int64_t>> out;
    out.reserve(texts.size());
    for (const auto& t : texts) {
        auto ids = tok->encode(t, true);
        if (static_cast<int64_t>(ids.size()) > maxLength)
            ids.resize(static_cast<std::size_t>(maxLength));
        out.emplace_back(ids.begin(), ids.end());
    }
    return out;
}

SensitivityMap runFisher(const FisherRunRequest& r, const JobControl& job,
                         const FisherStartFn& onStart) {
    const CalibrationSpec& cal = r.calibration;
    const std::string dtype = cal.dtype.empty() ? defaultDtype(cal.device) : cal.dtype;
    // No progress before the computation (the CLI prints a single line for a data error);
    // cancellation is honoured throughout.
    JobControl quiet;
    quiet.cancel = job.cancel;
    const auto texts = loadCalibrationTexts(cal); // data errors before any model work
    job.check();
    const auto samples = tokenizeSamples(cal.modelDir, texts, cal.maxLength);
    job.check();
    models::LoadOptions lo{cal.device, dtype};
    // The fit check counts one batch's forward and backward activations (the longest sample;
    // automatic batches keep about 768 tokens on the CPU).
    int64_t longest = 1;
    for (const auto& s : samples)
        longest = std::max<int64_t>(longest, static_cast<int64_t>(s.size()));
    lo.workTokens = longest;
    lo.workBatch =
        r.fisher.batchSize > 0 ? r.fisher.batchSize : std::max<int64_t>(1, 768 / longest);
    lo.workBackward = true;
    auto model = models::loadModel(cal.modelDir, lo, quiet);
    job.check();
    FisherRunStart start;
    start.samples = samples.size();
    for (const auto& s : samples)
        start.tokens += static_cast<int64_t>(s.size());
    start.device = cal.device;
    start.dtype = dtype;
    if (onStart)
        onStart(start);
    auto map = computeFisher(*model, samples, r.fisher, subRange(job, 0.05, 1.0 - 0.05));
    job.check();
    auto pv = map.provenance();
    pv.dataset = cal.data.kind;
    pv.modelFingerprint = models::modelFingerprint(cal.modelDir);
    pv.settings["max_length"] = cal.maxLength;
    pv.settings["seed"] = cal.seed;
    pv.settings["data"] = cal.data.path;
    pv.settings["with_answer"] = cal.data.withAnswer;
    return map.withProvenance(pv);
}

SensitivityMap runMagnitude(const MagnitudeRunRequest& r, const JobControl& job) {
    auto model = models::loadModel(r.modelDir, {}, subRange(job, 0.0, 0.3));
    job.check();
    auto map = computeMagnitude(*model, r.norm, r.perParameter, subRange(job, 0.3, 1.0 - 0.3));
    job.check();
    auto pv = map.provenance();
    pv.modelFingerprint = models::modelFingerprint(r.modelDir);
    return map.withProvenance(pv);
}

} // namespace taskquant::sensitivity
