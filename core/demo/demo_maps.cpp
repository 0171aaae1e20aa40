#include "core/demo/demo_maps.h"

#include "core/data/synthetic_tasks.h"
#include "core/demo/demo_evaluation.h"
#include "core/models/causal_lm.h"
#include "core/models/fingerprint.h"
#include "core/models/model_loader.h"
#include "core/sensitivity/fisher.h"
#include "core/sensitivity/magnitude.h"
#include "core/tokenize/tokenizer.h"
#include "core/util/error.h"

namespace taskquant::demo {

DemoMaps computeDemoMaps(const std::string& modelDir, const DemoMapsOptions& o,
                         const JobControl& job) {
    if (o.samples <= 0 || o.maxLength < 2)
        throw Error("demo maps: samples and length must be positive");
    const auto tok = tokenize::loadTokenizer(modelDir);
    auto model = models::loadModel(modelDir);
    const std::string fingerprint = models::modelFingerprint(modelDir);

    auto fisherFor = [&](data::SyntheticTask task, double from) {
        const auto problems =
            data::generateProblems(task, data::SyntheticSplit::Test, o.samples, o.seed);
        std::vector<std::vector<int64_t>> samples;
        for (const auto& p : problems)
            samples.push_back(encodeSample(*tok, p.text(), o.maxLength));
        sensitivity::FisherOptions fo;
        fo.clipSamples = std::min<int64_t>(32, o.samples);
        auto map = sensitivity::computeFisher(
            *model, samples, fo,
            subRange(job, from, 0.5, "fisher on " + data::syntheticTaskName(task)));
        auto pv = map.provenance();
        pv.dataset = "synthetic-" + data::syntheticTaskName(task);
        pv.modelFingerprint = fingerprint;
        pv.settings["max_length"] = o.maxLength;
        pv.settings["seed"] = o.seed;
        pv.settings["split"] = "test";
        return map.withProvenance(pv);
    };
    DemoMaps maps;
    maps.arithmetic = fisherFor(data::SyntheticTask::Arithmetic, 0.0);
    maps.stories = fisherFor(data::SyntheticTask::Stories, 0.5);
    auto mag = sensitivity::computeMagnitude(*model, sensitivity::MagnitudeNorm::L2Squared, false,
                                             {nullptr, job.cancel});
    auto pv = mag.provenance();
    pv.modelFingerprint = fingerprint;
    maps.magnitude = mag.withProvenance(pv);
    return maps;
}

} // namespace taskquant::demo
