// `taskquant validate MODEL --map MAP --dataset KIND:FILE | --text FILE --precision TYPE
//   [--tensors all|top:N] --out V.json`: quantizes each tensor alone, measures the KL divergence
// on the task text against the unquantized model and compares it with the damage model's
// prediction (core/eval/damage_validation.h): Spearman, worst mispredictions, additivity.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/task_options.h"
#include "core/eval/damage_validation.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"

namespace {

struct Options {
    taskquant::cli::TaskOptions task;
    std::string map, precision = "q4_0", tensors = "all", out;
    int worst = 5;
    bool noActivations = false, noFisher = false;
};

int run(const Options& o) {
    using namespace taskquant;
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}}, {o.task.modelDir, o.task.textFile, o.map});
    const auto map = sensitivity::SensitivityMap::readFile(o.map);
    eval::ValidationOptions vo;
    vo.precision = quant::Precision::parse(o.precision);
    vo.tensors = o.tensors;
    vo.worst = o.worst;
    vo.activationWeighting = !o.noActivations;
    // Refinement (4) by default; --no-fisher-weighting gives (3), --no-activations (2).
    vo.fisherWeighting = !o.noFisher && !o.noActivations;
    cli::ProgressPrinter printer("validate", "chunks");
    const auto r = eval::runValidation(o.task, map, vo, printer.control());
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
    "Check predicted damage (1/2 score SSE) against the measured KL of quantizing "
    "each tensor alone",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->task.modelDir, "Hugging Face model directory")->required();
        app.add_option("--map", o->map, "Sensitivity map")->required();
        o->task.addText(app);
        app.add_option("--precision", o->precision, "Type each tensor is quantized to")
            ->capture_default_str();
        app.add_option("--tensors", o->tensors, "all, or top:N by predicted damage")
            ->capture_default_str();
        app.add_flag("--no-activations", o->noActivations,
                     "Predict with the plain SSE, without the task's activation weights");
        app.add_flag("--no-fisher-weighting", o->noFisher,
                     "Damage model (3): SSE weighted by the task's activations only, not by the "
                     "per-weight Fisher of the task text (4)");
        app.add_option("--worst", o->worst, "Mispredictions to list")->capture_default_str();
        o->task.addWindows(app, 32);
        app.add_option("--out", o->out, "Validation JSON to write");
        return [o] { return run(*o); };
    }};

} // namespace
