// taskquant fisher MODEL_DIR --dataset gsm8k --data FILE --samples 64 --out MAP.json
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/calibration_options.h"
#include "app/cli/command.h"
#include "app/cli/map_output.h"
#include "app/cli/progress_printer.h"
#include "app/cli/shard_env.h"
#include "core/io/output_path.h"
#include "core/sensitivity/map_runs.h"
#include "core/util/error.h"

namespace {

struct Options {
    taskquant::cli::CalibrationOptions cal;
    std::string reduction = "mean", clipPercentile = "99", shard;
    int64_t clipSamples = 32, batchSize = 0;
    int bootstrap = 200;
    bool exactLoop = false;
};

int run(const Options& o) {
    using namespace taskquant;
    sensitivity::FisherOptions fo;
    if (o.reduction != "mean" && o.reduction != "sum")
        throw Error("--reduction must be mean or sum");
    fo.reduction =
        o.reduction == "sum" ? sensitivity::Reduction::Sum : sensitivity::Reduction::Mean;
    if (o.clipPercentile == "none") {
        fo.clipPercentile.reset();
    } else {
        try {
            std::size_t used = 0;
            fo.clipPercentile = std::stod(o.clipPercentile, &used);
            if (used != o.clipPercentile.size())
                throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw Error("--clip-percentile must be a number in (0, 100] or none");
        }
    }
    fo.clipSamples = o.clipSamples;
    fo.exactLoop = o.exactLoop;
    fo.batchSize = o.batchSize;
    if (o.bootstrap < 0)
        throw Error("--bootstrap must be >= 0");
    fo.bootstrapResamples = o.bootstrap;
    const auto shard = cli::resolveShard(o.shard);
    fo.shardIndex = shard.index;
    fo.shardCount = shard.count;
    const std::string out = cli::shardPath(o.cal.out, shard);
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", out}, {"--csv", o.cal.csv}}, {o.cal.modelDir, o.cal.dataPath});

    cli::ProgressPrinter progress("fisher");
    sensitivity::FisherRunRequest request{o.cal.spec(), fo};
    auto map = sensitivity::runFisher(
        request, progress.control(), [&](const sensitivity::FisherRunStart& st) {
            std::cerr << "fisher: " << st.samples << " samples of " << o.cal.dataset << " on "
                      << st.device << " (" << st.dtype << ")";
            if (shard.count > 1)
                std::cerr << ", shard " << shard.index << "/" << shard.count << " (" << shard.source
                          << ")";
            std::cerr << "\n";
            progress.setTokensPerUnit(double(st.tokens) / double(st.samples));
        });
    progress.finish();
    cli::writeMapOutputs(map, out, o.cal.csv);
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "fisher", "Task-aware Fisher information map (per weight tensor) on calibration text",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        o->cal.add(app);
        app.add_option("--reduction", o->reduction, "mean or sum over samples")
            ->default_val("mean");
        app.add_option("--clip-samples", o->clipSamples, "Samples that set the clip threshold")
            ->check(CLI::Range(int64_t(1), int64_t(1) << 20))
            ->default_val(32);
        app.add_option("--clip-percentile", o->clipPercentile,
                       "Gradient-norm percentile to clip at, or none")
            ->default_val("99");
        app.add_flag("--exact-loop", o->exactLoop,
                     "One sample per forward/backward (the study's loop)");
        app.add_option("--batch-size", o->batchSize, "Samples per batch (0: automatic)")
            ->check(CLI::Range(int64_t(0), int64_t(4096)));
        app.add_option(
               "--bootstrap", o->bootstrap,
               "Bootstrap resamples for score intervals and top-10 rank stability (0: none)")
            ->default_val(200);
        app.add_option("--shard", o->shard,
                       "Compute shard i/N (default: from RANK/WORLD_SIZE or "
                       "SLURM_PROCID/SLURM_NTASKS); {shard} in --out is replaced");
        return [o] { return run(*o); };
    }};

} // namespace
