// taskquant magnitude MODEL_DIR --out MAP.json: weight-magnitude map (no data needed).
#include <CLI/CLI.hpp>

#include "app/cli/command.h"
#include "app/cli/map_output.h"
#include "core/io/output_path.h"
#include "core/sensitivity/map_runs.h"

namespace {

struct Options {
    std::string modelDir, out, csv, norm = "l2";
    bool perParameter = false;
};

int run(const Options& o) {
    using namespace taskquant;
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}, {"--csv", o.csv}}, {o.modelDir});
    sensitivity::MagnitudeRunRequest request;
    request.modelDir = o.modelDir;
    request.norm =
        o.norm == "l1" ? sensitivity::MagnitudeNorm::L1 : sensitivity::MagnitudeNorm::L2Squared;
    request.perParameter = o.perParameter;
    cli::writeMapOutputs(sensitivity::runMagnitude(request), o.out, o.csv);
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "magnitude", "Weight-magnitude map: squared L2 (the study's) or L1 norm per weight tensor",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->modelDir, "Hugging Face model directory")->required();
        app.add_option("--norm", o->norm, "l2 (squared L2) or l1")
            ->check(CLI::IsMember({"l2", "l1"}))
            ->default_val("l2");
        app.add_flag("--per-parameter", o->perParameter, "Divide by the tensor's parameter count");
        app.add_option("--out", o->out, "Output map (JSON)")->required();
        app.add_option("--csv", o->csv, "Also write the map as CSV");
        return [o] { return run(*o); };
    }};

} // namespace
