// `taskquant frontier MODEL [--map MAP ...] --dataset KIND:FILE | --text FILE --bits LIST
//   --out F.json [--plot F.svg]`: the size-quality frontier (core/eval/frontier.h): uniform
// types, the optimal allocation per map and per budget, the error-only allocation; a table,
// the JSON, and an SVG picture.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/task_options.h"
#include "core/eval/frontier.h"
#include "core/eval/frontier_plot.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/util/error.h"

namespace {

struct Options {
    taskquant::cli::TaskOptions task;
    std::vector<std::string> maps;
    std::string bits = "3.5,4,4.5,5,6", out, plot, precisions, uniform;
    bool noErrorOnly = false, noActivations = false, noFisher = false, matchRecipes = false,
         taskFisher = false, imatrixFromTask = false;
    std::string imatrix;
};

int run(const Options& o) {
    using namespace taskquant;
    if (!o.plot.empty() && std::filesystem::path(o.plot).extension() != ".svg")
        throw Error(o.plot, "the plot is written as SVG (give a .svg file name)");
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}, {"--plot", o.plot}},
                     {o.task.modelDir, o.task.textFile, o.imatrix});
    eval::FrontierOptions fo;
    fo.bits = eval::parseBits(o.bits);
    fo.candidates = quant::Precision::parseList(o.precisions);
    fo.uniform = quant::Precision::parseList(o.uniform);
    fo.errorOnly = !o.noErrorOnly;
    fo.activationWeighting = !o.noActivations;
    // Refinement (4) by default; --no-fisher-weighting gives (3), --no-activations (2).
    fo.fisherWeighting = !o.noFisher && !o.noActivations;
    fo.matchRecipes = o.matchRecipes;
    fo.taskFisherFamily = o.taskFisher;
    fo.imatrixFile = o.imatrix;
    fo.imatrixFromTask = o.imatrixFromTask;
    std::vector<eval::FrontierMap> maps;
    for (const auto& m : o.maps)
        maps.push_back({std::filesystem::path(m).filename().string(),
                        sensitivity::SensitivityMap::readFile(m)});
    cli::ProgressPrinter printer("frontier", "chunks");
    const auto r = eval::runFrontier(o.task, maps, fo, printer.control());
    printer.finish();
    std::cout << r.table();
    auto j = r.toJson();
    j["model"] = o.task.modelDir;
    j["maps"] = o.maps;
    // What the uniform family keeps at fixed types (the SVG legend says the same).
    j["uniform_embedding"] = fo.base.embeddings.name();
    j["uniform_head"] = fo.base.lmHead.name();
    j["text"] = o.task.textFile.empty() ? o.task.dataset : o.task.textFile;
    if (!r.imatrix.empty())
        std::cerr << "codecs importance-weighted by " << r.imatrix << "\n";
    j["ctx"] = o.task.ctx;
    io::writeFileAtomically(o.out, j.dump(2) + "\n");
    std::cerr << "wrote " << o.out << "\n";
    if (!o.plot.empty()) {
        std::vector<eval::PlotPoint> pts;
        for (const auto& p : r.points)
            pts.push_back({p.label, p.kind, p.signal, p.bitsPerWeight, p.metrics.kldMean});
        const std::string title =
            "Task KLD vs size: " + std::filesystem::path(o.task.modelDir).filename().string() +
            " on " + (o.task.textFile.empty() ? o.task.dataset : o.task.textFile);
        io::writeFileAtomically(o.plot, eval::frontierSvg(pts, title, 800, 520,
                                                          "embedding " + fo.base.embeddings.name() +
                                                              ", head " + fo.base.lmHead.name()));
        std::cerr << "wrote " << o.plot << "\n";
    }
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "frontier",
    "Size-quality frontier: uniform types, optimal allocations per map and budget, "
    "error-only allocations; table, JSON, SVG",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->task.modelDir, "Hugging Face model directory")->required();
        app.add_option("--map", o->maps, "Sensitivity map driving an optimal family (repeatable)");
        o->task.addText(app);
        app.add_option("--bits", o->bits, "Budgets in bits per weight over all parameters")
            ->capture_default_str();
        app.add_option("--precisions", o->precisions,
                       "Choices of the optimal allocations (default: f16 and the GGUF types)");
        app.add_option("--uniform", o->uniform,
                       "Uniform types to compare (default: the quantized choices)");
        app.add_flag("--no-activations", o->noActivations,
                     "Damage model with the plain SSE, without the task's activation weights");
        app.add_flag("--no-fisher-weighting", o->noFisher,
                     "Damage model (3): SSE weighted by the task's activations only, not by the "
                     "per-weight Fisher of the task text (4)");
        app.add_flag("--match-recipes", o->matchRecipes,
                     "Also an optimal budget at each llama.cpp mix's exact size");
        app.add_flag("--task-fisher-family", o->taskFisher,
                     "Also an optimal family driven by the task text's per-weight Fisher alone");
        app.add_flag("--no-error-only", o->noErrorOnly, "Skip the error-only (no map) family");
        auto* im = app.add_option("--imatrix", o->imatrix,
                                  "Importance matrix (.gguf / .dat) every family quantizes with: "
                                  "mixes, uniform types and the optimal policies' codecs");
        app.add_flag("--imatrix-from-task", o->imatrixFromTask,
                     "The same with the importance matrix of the task text")
            ->excludes(im);
        o->task.addWindows(app, 32);
        app.add_option("--out", o->out, "Frontier JSON to write")->required();
        app.add_option("--plot", o->plot, "SVG picture to write");
        return [o] { return run(*o); };
    }};

} // namespace
