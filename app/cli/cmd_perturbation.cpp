// taskquant perturbation MODEL_DIR --dataset D --data FILE --out MAP.json
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/calibration_options.h"
#include "app/cli/command.h"
#include "app/cli/map_output.h"
#include "app/cli/progress_printer.h"
#include "core/io/output_path.h"
#include "core/models/fingerprint.h"
#include "core/models/model_loader.h"
#include "core/sensitivity/perturbation.h"

namespace {

struct Options {
    taskquant::cli::CalibrationOptions cal;
    int64_t batchSize = 8;
};

int run(const Options& o) {
    using namespace taskquant;
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.cal.out}, {"--csv", o.cal.csv}},
                     {o.cal.modelDir, o.cal.dataPath});
    const auto texts = o.cal.loadTexts();
    const auto samples = cli::tokenizeSamples(o.cal.modelDir, texts, o.cal.maxLength);
    auto model =
        models::loadModel(o.cal.modelDir, {o.cal.effectiveDevice(), o.cal.effectiveDtype()});
    cli::ProgressPrinter progress("perturbation");
    auto map = sensitivity::computePerturbation(*model, samples, o.batchSize, progress.control());
    progress.finish();
    auto pv = map.provenance();
    pv.dataset = o.cal.dataset;
    pv.modelFingerprint = models::modelFingerprint(o.cal.modelDir);
    pv.settings["max_length"] = o.cal.maxLength;
    pv.settings["seed"] = o.cal.seed;
    cli::writeMapOutputs(map.withProvenance(pv), o.cal.out, o.cal.csv);
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "perturbation", "Output error of each linear layer with its weight fake-quantized to INT4",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        o->cal.add(app);
        app.add_option("--batch-size", o->batchSize, "Samples per batch")
            ->check(CLI::Range(int64_t(1), int64_t(4096)))
            ->default_val(8);
        return [o] { return run(*o); };
    }};

} // namespace
