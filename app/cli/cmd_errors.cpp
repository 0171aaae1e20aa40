// `taskquant errors MODEL --precisions LIST [--imatrix F] --out ERRORS.json`: the measured
// quantization error of every quantizable linear weight, the token embeddings and lm_head (which
// `policy --method optimal` allocates too) at every candidate precision, from the
// exporter's real bytes (core/policy/error_measure.h), for `policy --method optimal --errors`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
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
    std::string model, precisions, imatrix, out, activations;
    int64_t ctx = 512, chunks = 32;
};

int run(const Options& o) {
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out}}, {o.model, o.imatrix, o.activations});
    std::vector<quant::Precision> precisions = quant::Precision::parseList(o.precisions);
    if (precisions.empty())
        precisions = policy::defaultGgufCandidates();
    // llama-quantize's importance vectors: the codecs quantize importance-weighted with them
    // (the exporter's bytes under --imatrix) and weighted_sse uses them.
    sensitivity::ModelImportance importance;
    if (!o.imatrix.empty())
        importance = sensitivity::loadModelImportance(o.imatrix, o.model);
    cli::ProgressPrinter printer("errors", "pairs");
    std::unique_ptr<models::CausalLM> model;
    std::map<std::string, std::vector<float>> energy;
    if (!o.activations.empty()) {
        // Column weights for weighted_sse only: the task text's mean squared activations.
        eval::TaskRequest task;
        task.modelDir = o.model;
        task.dataset = o.activations;
        task.ctx = o.ctx;
        task.chunks = o.chunks;
        eval::TaskSetup s = eval::prepareTask(task, printer.control());
        energy = sensitivity::columnEnergy(*s.model, s.chunks, printer.control());
        model = std::move(s.model);
    } else {
        models::LoadOptions lo{"cpu", "fp32"};
        lo.convert = true; // the error tables read every linear weight as fp32 at once
        model = models::loadModel(o.model, lo, printer.control());
    }
    std::vector<policy::WeightView> views;
    std::vector<at::Tensor> widened; // fp32 copies of tensors the file stores as bf16 / f16
    for (const auto& p : model->parameters()) {
        if (!policy::allocatesPrecision(p.name) || p.tensor.dim() != 2)
            continue;
        const float* data = nullptr;
        if (p.tensor.is_contiguous() && p.tensor.scalar_type() == at::kFloat) {
            data = p.tensor.data_ptr<float>();
        } else {
            widened.push_back(p.tensor.detach().to(at::kFloat).contiguous());
            data = widened.back().data_ptr<float>();
        }
        views.push_back({p.name, p.tensor.sizes().vec(), data,
                         o.imatrix.empty() ? nullptr : importance.find(p.name)});
        auto it = energy.find(p.name);
        if (it != energy.end() && static_cast<int64_t>(it->second.size()) == p.tensor.size(-1))
            views.back().columnWeights = it->second.data();
    }
    if (views.empty())
        throw Error(o.model, "the model has no quantizable linear weights");
    policy::ErrorMeasureOptions eo;
    if (!o.activations.empty())
        eo.importanceLabel = "activations:" + o.activations;
    if (!o.imatrix.empty())
        eo.importanceLabel =
            "imatrix:" + o.imatrix +
            (o.activations.empty() ? "" : "; weighted by activations:" + o.activations);
    const policy::ErrorTable table =
        policy::measureErrors(views, precisions, eo, printer.control());
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
                       "(the damage model's column refinement; codecs unchanged)");
        app.add_option("--ctx", o->ctx, "--activations: tokens per window")->default_val(512);
        app.add_option("--chunks", o->chunks, "--activations: windows (0 = all)")->default_val(32);
        app.add_option("--out", o->out, "Error table JSON to write")->required();
        return [o] { return run(*o); };
    }};

} // namespace
