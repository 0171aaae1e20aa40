// `taskquant errors MODEL --precisions LIST [--imatrix F] [--dataset KIND:PATH | --text FILE]
// --out ERRORS.json`: the measured quantization error of every quantizable linear weight, the
// token embeddings and lm_head (which `policy --method optimal` allocates too) at every candidate
// precision, from the exporter's real bytes (core/policy/error_measure.h), for
// `policy --method optimal --errors`. With a task text the squared errors are weighted as the
// frontier weights them (eval/task_errors.h: by default the text's per-weight Fisher, the damage
// model's (4)) and the table records which text (task_text: source, windows, token hash).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "app/cli/task_options.h"
#include "core/eval/task_errors.h"
#include "core/eval/task_setup.h"
#include "core/io/output_path.h"
#include "core/models/model_loader.h"
#include "core/models/taxonomy.h"
#include "core/policy/damage_model.h"
#include "core/policy/error_measure.h"
#include "core/sensitivity/activation_stats.h"
#include "core/sensitivity/imatrix.h"
#include "core/util/error.h"

namespace {

using namespace taskquant;

struct Options {
    std::string model, precisions, imatrix, out, activations, weighting;
    cli::TaskOptions task;
};

int run(Options o) {
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}}, {o.model, o.imatrix, o.activations, o.task.textFile});
    std::vector<quant::Precision> precisions = quant::Precision::parseList(o.precisions);
    if (precisions.empty())
        precisions = policy::defaultGgufCandidates();
    if (!o.activations.empty()) {
        // --activations KIND:PATH: the text's column energies, the damage model's (3).
        if (!o.task.dataset.empty() || !o.task.textFile.empty())
            throw Error("give either --activations or --dataset / --text, not both");
        if (!o.weighting.empty() && o.weighting != "activations")
            throw Error("--activations weights by activations (drop --weighting " + o.weighting +
                        ")");
        o.task.dataset = o.activations;
        o.weighting = "activations";
    }
    const bool hasText = !o.task.dataset.empty() || !o.task.textFile.empty();
    if (o.weighting.empty())
        o.weighting = hasText ? "fisher" : "none";
    if (o.weighting != "fisher" && o.weighting != "activations" && o.weighting != "none")
        throw Error("unknown --weighting '" + o.weighting + "' (fisher, activations or none)");
    if (o.weighting == "none" && hasText)
        throw Error("--weighting none weighs by no task text (drop --dataset / --text)");
    if (o.weighting != "none" && !hasText)
        throw Error("--weighting " + o.weighting +
                    " needs a task text (--dataset KIND:PATH or --text FILE)");
    // llama-quantize's importance vectors: the codecs quantize importance-weighted with them
    // (the exporter's bytes under --imatrix) and weighted_sse uses them unless a task text
    // weights it.
    sensitivity::ModelImportance importance;
    if (!o.imatrix.empty())
        importance = sensitivity::loadModelImportance(o.imatrix, o.model);
    cli::ProgressPrinter printer("errors", "pairs");
    // One progress for the whole command (loading, then the error tables), so it never falls
    // back to 0 % between them.
    const JobControl job = printer.control(), loading = subRange(job, 0.0, 0.05);
    std::unique_ptr<models::CausalLM> model;
    std::vector<std::vector<int64_t>> chunks;
    if (hasText) {
        eval::TaskRequest task = o.task;
        task.modelDir = o.model;
        eval::TaskSetup s = eval::prepareTask(task, loading);
        model = std::move(s.model);
        chunks = std::move(s.chunks);
    } else {
        model = models::loadModel(o.model, {o.task.device, o.task.dtype}, loading);
    }
    eval::TaskErrorOptions te;
    te.fisherWeighting = o.weighting == "fisher";
    te.activationWeighting = o.weighting != "none";
    if (!o.imatrix.empty())
        te.importance = [&importance](const std::string& name) { return importance.find(name); };
    std::size_t views = 0;
    for (const auto& p : model->parameters())
        if (policy::allocatesPrecision(p.name) && p.tensor.dim() == 2)
            ++views;
    if (views == 0)
        throw Error(o.model, "the model has no quantizable linear weights");
    policy::ErrorTable table =
        eval::measureTaskErrors(*model, chunks, precisions, te, nullptr, subRange(job, 0.05, 0.95));
    if (!o.imatrix.empty())
        table.setImportance("imatrix:" + o.imatrix +
                            (o.weighting == "none" ? "" : "; weighted by " + table.importance()));
    if (hasText) { // the text that weighted weighted_sse
        policy::ErrorTaskText t;
        t.source = o.task.dataset.empty() ? o.task.textFile : o.task.dataset;
        t.ctx = o.task.ctx;
        t.chunks = static_cast<int64_t>(chunks.size());
        for (const auto& c : chunks)
            t.tokens += static_cast<int64_t>(c.size());
        t.seed = o.task.seed;
        t.tokensFnv1a64 = policy::ErrorTaskText::hashTokens(chunks);
        table.setTaskText(std::move(t));
    }
    printer.finish();
    table.writeFile(o.out);
    std::printf("%zu tensors x %zu precisions", table.rows().size(), table.precisions().size());
    std::printf(" (");
    for (std::size_t j = 0; j < table.precisions().size(); ++j)
        std::printf("%s%s", j ? ", " : "", table.precisions()[j].c_str());
    std::printf(")\n");
    // Totals per precision: the whole set's SSE and bytes (null cells skipped).
    for (std::size_t j = 0; j < table.precisions().size(); ++j) {
        double sse = 0;
        unsigned long long bytes = 0;
        std::size_t missing = 0;
        for (const auto& r : table.rows()) {
            if (r.sse[j]) {
                sse += *r.sse[j];
                bytes += *r.bytes[j];
            } else {
                ++missing;
            }
        }
        std::printf("  %-12s SSE %12.6g  bytes %12llu", table.precisions()[j].c_str(), sse, bytes);
        if (missing)
            std::printf("  (%zu tensors cannot be stored)", missing);
        std::printf("\n");
    }
    std::printf("wrote %s\n", o.out.c_str());
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "errors",
    "Measure every quantizable weight's quantization error at each precision "
    "(error table for policy --method optimal)",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->model, "Hugging Face model directory")->required();
        app.add_option("--precisions", o->precisions,
                       "Comma-separated precisions (default: f16 and every GGUF block type this "
                       "build can encode)");
        app.add_option("--imatrix", o->imatrix,
                       "llama.cpp importance matrix: importance-weighted errors and codecs");
        app.add_option("--activations", o->activations,
                       "KIND:PATH task text whose mean squared activations weight weighted_sse "
                       "(the damage model's column refinement (3); codecs unchanged)");
        o->task.addText(app);
        o->task.addWindows(app, 32);
        app.add_option("--weighting", o->weighting,
                       "fisher (default with a task text: its per-weight Fisher, the frontier's "
                       "damage model), activations or none");
        app.add_option("--out", o->out, "Error table JSON to write")->required();
        return [o] { return run(*o); };
    }};

} // namespace
