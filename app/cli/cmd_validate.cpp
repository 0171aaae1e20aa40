// `taskquant validate MODEL [--map MAP] --dataset KIND:FILE | --text FILE --precision TYPES
//   [--tensors all|top:N] [--policies N] --out V.json`: quantizes each tensor alone at each type,
// measures the KL divergence on the task text against the unquantized model and compares it with
// the damage model's prediction (core/eval/damage_validation.h): Spearman per type, calibration,
// worst mispredictions, additivity, whole policies at N budgets.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/task_options.h"
#include "core/eval/damage_validation.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/util/error.h"

namespace {

struct Options {
    taskquant::cli::TaskOptions task;
    std::string map, precision = "q4_0", tensors = "all", out;
    int worst = 5, samples = 1;
    bool noActivations = false, noFisher = false, mapLevel = false;
    int policies = 3;
};

int run(const Options& o) {
    using namespace taskquant;
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}}, {o.task.modelDir, o.task.textFile, o.map});
    if (o.mapLevel && o.map.empty())
        throw Error("--map-level needs --map");
    std::optional<sensitivity::SensitivityMap> map;
    if (!o.map.empty())
        map = sensitivity::SensitivityMap::readFile(o.map);
    eval::ValidationOptions vo;
    vo.precisions = quant::Precision::parseList(o.precision);
    if (vo.precisions.empty())
        throw Error("--precision lists no type");
    vo.precision = vo.precisions.front();
    vo.mapLevel = o.mapLevel;
    vo.policies = o.policies;
    vo.tensors = o.tensors;
    vo.worst = o.worst;
    vo.samples = o.samples;
    vo.activationWeighting = !o.noActivations;
    // Refinement (4) by default; --no-fisher-weighting gives (3), --no-activations (2).
    vo.fisherWeighting = !o.noFisher && !o.noActivations;
    cli::ProgressPrinter printer("validate", "chunks");
    const auto r = eval::runValidation(o.task, map ? &*map : nullptr, vo, printer.control());
    printer.finish();
    std::cout << r.table();
    if (!o.out.empty()) {
        auto j = r.toJson();
        j["model"] = o.task.modelDir;
        j["map"] = o.map;
        j["text"] = o.task.textFile.empty() ? o.task.dataset : o.task.textFile;
        j["ctx"] = o.task.ctx;
        io::writeFileAtomically(o.out, j.dump(2) + "\n");
        std::cerr << "wrote " << o.out << "\n";
    }
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "validate",
    "Check predicted KL (the damage model) against the measured KL of quantizing each tensor "
    "alone at each type, and of whole policies",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->task.modelDir, "Hugging Face model directory")->required();
        app.add_option("--map", o->map,
                       "Sensitivity map (the tensors to test; without it the model's own)");
        o->task.addText(app);
        app.add_option("--precision", o->precision,
                       "Types each tensor is quantized to, alone (a list: q3_k,q4_k,q6_k)")
            ->capture_default_str();
        app.add_option("--policies", o->policies,
                       "Whole policies (optimal allocations) at this many budgets (0: none)")
            ->check(CLI::Range(0, 10))
            ->capture_default_str();
        app.add_flag("--map-level", o->mapLevel,
                     "Predict with the map's score as each tensor's level (damage model (4)) "
                     "instead of the task text's own Fisher");
        app.add_option("--tensors", o->tensors, "all, or top:N by predicted damage")
            ->capture_default_str();
        app.add_flag("--no-activations", o->noActivations,
                     "Predict with the plain SSE, without the task's activation weights");
        app.add_flag("--no-fisher-weighting", o->noFisher,
                     "Damage model (3): SSE weighted by the task's activations only, not by the "
                     "per-weight Fisher of the task text (4)");
        app.add_option("--worst", o->worst, "Mispredictions to list")->capture_default_str();
        app.add_option("--label-samples", o->samples,
                       "Label draws per window for the task text's damage (more: less noise)")
            ->check(CLI::Range(1, 64))
            ->capture_default_str();
        o->task.addWindows(app, 32);
        app.add_option("--out", o->out, "Validation JSON to write");
        return [o] { return run(*o); };
    }};

} // namespace
