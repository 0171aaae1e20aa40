// `taskquant transfer MODEL --task NAME=DATASET ... --bits B[,B...] [--general DATASET]
//   --out matrix.json [--svg matrix.svg]` (or `transfer --from matrix.json [--svg F]`: a written
//   matrix printed and drawn again): the cross-task transfer matrix (core/eval/transfer.h):
// each task's own policy, the mixed policy, the general-text policy and llama.cpp's nearest mix
// with each task's imatrix, every one evaluated on every task's held-out split; a table, the
// verdicts, the JSON and an SVG heat table.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/task_options.h"
#include "core/eval/frontier.h"
#include "core/eval/transfer.h"
#include "core/io/atomic_file.h"
#include "core/io/output_path.h"
#include "core/util/error.h"

namespace {

struct Options {
    taskquant::eval::TransferOptions t;
    std::vector<std::string> tasks;
    std::string general, bits, out, svg, precisions, from;
    bool noRecipes = false;
};

int run(Options o) {
    using namespace taskquant;
    if (!o.svg.empty() && std::filesystem::path(o.svg).extension() != ".svg")
        throw Error(o.svg, "the heat table is written as SVG (give a .svg file name)");
    if (!o.from.empty()) {
        // a matrix written before: its table and heat table again, nothing computed
        io::checkOutputs({{"--svg", o.svg}}, {o.from});
        const auto r = eval::TransferResult::readFile(o.from);
        std::cout << r.table();
        if (!o.svg.empty()) {
            io::writeFileAtomically(o.svg, r.svg());
            std::cerr << "wrote " << o.svg << "\n";
        }
        return 0;
    }
    if (o.t.modelDir.empty() || o.tasks.empty() || o.bits.empty() || o.out.empty())
        throw Error("transfer needs MODEL_DIR, --task, --bits and --out (or --from MATRIX.json)");
    std::vector<std::string> inputs = {o.t.modelDir};
    for (const auto& s : o.tasks) {
        o.t.tasks.push_back(eval::parseTransferTask(s));
        if (!o.t.tasks.back().data.path.empty())
            inputs.push_back(o.t.tasks.back().data.path);
    }
    if (!o.general.empty()) {
        auto g = eval::parseTransferTask("general-text=" + o.general);
        o.t.general = g.data;
        if (!g.data.path.empty())
            inputs.push_back(g.data.path);
    }
    io::checkOutputs({{"--out", o.out}, {"--svg", o.svg}}, inputs);
    o.t.bits = eval::parseBits(o.bits);
    o.t.candidates = quant::Precision::parseList(o.precisions);
    o.t.recipes = !o.noRecipes;
    cli::ProgressPrinter printer("transfer", "steps");
    const auto r = eval::runTransfer(o.t, printer.control());
    printer.finish();
    std::cout << r.table();
    io::writeFileAtomically(o.out, r.toJson().dump(2) + "\n");
    std::cerr << "wrote " << o.out << "\n";
    if (!o.svg.empty()) {
        io::writeFileAtomically(o.svg, r.svg());
        std::cerr << "wrote " << o.svg << "\n";
    }
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "transfer",
    "Cross-task transfer matrix: each task's own policy, mixed, general and llama.cpp's mixes "
    "with each task's imatrix, evaluated on every task; verdicts, JSON, SVG",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->t.modelDir, "Hugging Face model directory");
        app.add_option("--task", o->tasks,
                       "NAME=KIND:PATH (gsm8k, math, wikitext, jsonl, text) or NAME=KIND for a "
                       "generated task (arithmetic, algebra, stories, lookup, facts); repeatable");
        app.add_option("--bits", o->bits, "Budgets in bits per weight over all parameters");
        app.add_option("--general", o->general,
                       "KIND:PATH of general text (e.g. wikitext:FILE) for a \"general\" policy");
        app.add_option("--precisions", o->precisions,
                       "Choices of the allocations (default: f16 and the GGUF types)");
        app.add_option("--calibration-samples", o->t.calibrationSamples,
                       "Calibration texts per task")
            ->capture_default_str();
        app.add_option("--held-out-samples", o->t.heldOutSamples, "Held-out texts per task")
            ->capture_default_str();
        app.add_option("--max-length", o->t.maxLength, "Tokens per calibration sample")
            ->capture_default_str();
        app.add_option("--ctx", o->t.ctx, "Tokens per evaluation window")->capture_default_str();
        app.add_option("--windows", o->t.windows, "At most this many windows per task (0 = all)")
            ->capture_default_str();
        app.add_option("--answers", o->t.answerProblems,
                       "Greedy-answer problems per task with answers (0 = no accuracy)")
            ->capture_default_str();
        app.add_option("--max-new-tokens", o->t.maxNewTokens,
                       "Tokens generated per answer (gsm8k: at least 128)")
            ->capture_default_str();
        app.add_option("--resamples", o->t.bootstrapResamples, "Bootstrap resamples of windows")
            ->capture_default_str();
        app.add_option("--size-tolerance", o->t.sizeTolerance,
                       "Relative size difference still counted as equal size in the verdicts")
            ->capture_default_str();
        app.add_option("--seed", o->t.seed, "Seed of the splits, generated tasks and bootstrap")
            ->capture_default_str();
        app.add_option("--threads", o->t.threads, "Threads of the error measurement (0 = all)");
        app.add_flag("--no-recipes", o->noRecipes, "Skip llama.cpp's mixes");
        taskquant::cli::addDeviceOptions(app, o->t.device, o->t.dtype);
        app.add_option("--out", o->out, "Transfer matrix JSON to write");
        app.add_option(
            "--from", o->from,
            "Print (and with --svg draw) a matrix JSON written before; computes nothing");
        app.add_option("--svg", o->svg, "SVG heat table to write");
        return [o] { return run(*o); };
    }};

} // namespace
