// `taskquant frontier MODEL [--map MAP ...] --dataset KIND:FILE | --text FILE --bits LIST
//   --out F.json [--plot F.svg] [--measure default|all|none|LABELS] [--shard i/N]`: the
// size-quality frontier (core/eval/frontier.h): uniform types, the optimal allocation per map
// and per budget, the error-only allocation. The predicted frontier (damage model, no forward
// pass) is written to --out / --plot as soon as it exists; the measured one replaces it. With a
// shard (--shard, torchrun or Slurm variables, as `fisher`), {shard} in --out / --plot is
// replaced and only this shard's slice of the measured policies is evaluated; `taskquant
// merge` joins the shards.
#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/shard_env.h"
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
    std::string bits = "3.5,4,4.5,5,6", out, plot, precisions, uniform, measure = "default", shard;
    double streamMb = 0;
    bool noErrorOnly = false, noActivations = false, noFisher = false, matchRecipes = false,
         taskFisher = false, imatrixFromTask = false;
    std::string imatrix;
};

// The JSON of a result with what this command adds (model, maps, text, ctx).
nlohmann::ordered_json resultJson(const taskquant::eval::FrontierResult& r, const Options& o,
                                  const taskquant::eval::FrontierOptions& fo) {
    auto j = r.toJson();
    j["model"] = o.task.modelDir;
    j["maps"] = o.maps;
    // What the uniform family keeps at fixed types (the SVG legend says the same).
    j["uniform_embedding"] = fo.base.embeddings.name();
    j["uniform_head"] = fo.base.lmHead.name();
    j["text"] = o.task.textFile.empty() ? o.task.dataset : o.task.textFile;
    j["ctx"] = o.task.ctx;
    j["measure"] = o.measure;
    return j;
}

std::string plotOf(const taskquant::eval::FrontierResult& r, const Options& o,
                   const taskquant::eval::FrontierOptions& fo) {
    using namespace taskquant;
    std::vector<eval::PlotPoint> pts;
    for (const auto& p : r.points) {
        const double kld = p.measured ? p.metrics.kldMean : p.predictedKld;
        if (std::isfinite(kld)) // unmeasured and not predicted in KLD: not drawn
            pts.push_back({p.label, p.kind, p.signal, p.bitsPerWeight, kld, p.measured});
    }
    const std::string title =
        "Task KLD vs size: " + std::filesystem::path(o.task.modelDir).filename().string() + " on " +
        (o.task.textFile.empty() ? o.task.dataset : o.task.textFile);
    return eval::frontierSvg(pts, title, 800, 520,
                             "embedding " + fo.base.embeddings.name() + ", head " +
                                 fo.base.lmHead.name());
}

int run(const Options& o) {
    using namespace taskquant;
    if (!o.plot.empty() && std::filesystem::path(o.plot).extension() != ".svg")
        throw Error(o.plot, "the plot is written as SVG (give a .svg file name)");
    if (!(o.streamMb == 0 || (o.streamMb >= 1 && o.streamMb <= 1e7)))
        throw Error("--stream-mb must be 0 (automatic) or at least 1 (MiB of per-weight Fisher "
                    "values at once)");
    const auto shard = cli::resolveShard(o.shard);
    const std::string out = cli::shardPath(o.out, shard);
    const std::string plot = cli::shardPath(o.plot, shard);
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", out}, {"--plot", plot}},
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
    fo.measure = o.measure;
    fo.shardIndex = shard.index;
    fo.shardCount = shard.count;
    fo.streamBytes = static_cast<uint64_t>(o.streamMb * 1024 * 1024);
    if (shard.count > 1)
        std::cerr << "frontier: shard " << shard.index << "/" << shard.count << " (" << shard.source
                  << ")\n";
    std::vector<eval::FrontierMap> maps;
    for (const auto& m : o.maps)
        maps.push_back({std::filesystem::path(m).filename().string(),
                        sensitivity::SensitivityMap::readFile(m)});
    cli::ProgressPrinter printer("frontier", "chunks");
    // The predicted frontier, written as soon as it exists (the measured one replaces it).
    fo.onPredicted = [&](const eval::FrontierResult& r) {
        auto j = resultJson(r, o, fo);
        j.erase("shard"); // not yet a shard `merge` may join: its measurements are to come
        io::writeFileAtomically(out, j.dump(2) + "\n");
        if (!plot.empty())
            io::writeFileAtomically(plot, plotOf(r, o, fo));
        printer.finish();
        std::cerr << "wrote the predicted frontier (" << r.points.size() << " points, "
                  << r.totalSeconds << " s) to " << out << (plot.empty() ? "" : " and " + plot)
                  << "\n";
    };
    const auto r = eval::runFrontier(o.task, maps, fo, printer.control());
    printer.finish();
    std::cout << r.table();
    if (!r.imatrix.empty())
        std::cerr << "codecs importance-weighted by " << r.imatrix << "\n";
    io::writeFileAtomically(out, resultJson(r, o, fo).dump(2) + "\n");
    std::cerr << "wrote " << out << "\n";
    if (!plot.empty()) {
        io::writeFileAtomically(plot, plotOf(r, o, fo));
        std::cerr << "wrote " << plot << "\n";
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
        app.add_option("--measure", o->measure,
                       "Points to evaluate (forward passes): default (the first map's optimal "
                       "policies and the llama.cpp mix nearest each), all, none, or labels "
                       "separated by commas; the rest are predicted only")
            ->capture_default_str();
        app.add_option("--shard", o->shard,
                       "Evaluate shard i/N of the measured policies (default: from RANK/WORLD_SIZE "
                       "or SLURM variables); {shard} in --out/--plot is replaced; join the shards "
                       "with `merge`");
        app.add_option("--stream-mb", o->streamMb,
                       "MiB of per-weight Fisher values held at once (more: fewer groups, "
                       "more memory; 0: an eighth of the model's weight bytes + 256 MiB, at most "
                       "the weights' bytes and a quarter of the available memory beside them)")
            ->capture_default_str();
        o->task.addWindows(app, 32);
        app.add_option("--out", o->out, "Frontier JSON to write")->required();
        app.add_option("--plot", o->plot, "SVG picture to write");
        return [o] { return run(*o); };
    }};

} // namespace
