// taskquant export MODEL_DIR --policy P.json --format gguf|safetensors|tensor-types --out PATH
// taskquant export MODEL_DIR --type Q4_K_M|q8_0|f16|... [--pure] --format ... --out PATH:
// without a policy file, the type or mix as llama-quantize names it (policy/recipes.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/export/export_run.h"
#include "core/policy/recipes.h"
#include "core/util/error.h"

namespace {

struct Options {
    std::string dir, policy, format, out, type, imatrix;
    bool pure = false;
};

int run(const Options& o) {
    using namespace taskquant;
    if (o.policy.empty() == o.type.empty())
        throw Error("give either --policy P.json or --type NAME (e.g. Q4_K_M, q8_0, f16)");
    if (o.pure && o.type.empty())
        throw Error("--pure applies to --type only");
    policy::Policy p;
    if (!o.policy.empty()) {
        p = policy::Policy::readFile(o.policy);
    } else {
        policy::RecipeOptions ro;
        ro.pure = o.pure;
        ro.imatrix = !o.imatrix.empty(); // llama-quantize chooses some types differently then
        auto r = policy::applyRecipe(o.type, policy::recipeModelFromDirectory(o.dir), ro);
        std::cerr << "type: " << r.recipe.name << (o.pure ? " (pure)" : "")
                  << ", as llama-quantize chooses it per tensor\n";
        for (const auto& n : r.notes)
            std::cerr << "note: " << n << "\n";
        p = std::move(r.policy);
    }
    const auto format = exporting::parseExportFormat(o.format);
    cli::ProgressPrinter printer("export " + o.format, "bytes");
    const auto r = exporting::exportModel(o.dir, p, format, o.out, printer.control(), o.imatrix);
    printer.finish();
    const auto& notes = r.notes;
    const uint64_t bytes = r.bytes;
    for (const auto& n : notes)
        std::cerr << "note: " << n << "\n";
    std::cout << "wrote " << o.out;
    if (bytes)
        std::cout << " (" << bytes << " bytes)";
    std::cout << "\n";
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "export",
    "Write a model under a policy: GGUF for llama.cpp, a Hugging Face safetensors "
    "directory, or a llama-quantize tensor-type file",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->dir, "Hugging Face model directory")->required();
        app.add_option("--policy", o->policy, "Policy JSON");
        app.add_option("--type", o->type,
                       "Instead of a policy: a llama.cpp type or mix as llama-quantize takes it "
                       "(Q4_K_M, Q3_K_S, IQ4_XS, q8_0, f16, ...; case-insensitive)");
        app.add_flag("--pure", o->pure,
                     "With --type: that type for every matrix (llama-quantize --pure)");
        app.add_option("--format", o->format, "gguf, safetensors or tensor-types")
            ->required()
            ->check(CLI::IsMember({"gguf", "safetensors", "tensor-types"}));
        app.add_option("--out", o->out, "Output file (gguf, tensor-types) or directory")
            ->required();
        app.add_option("--imatrix", o->imatrix,
                       "Importance matrix (GGUF or legacy .dat) for importance-weighted "
                       "quantization, as llama-quantize --imatrix");
        return [o] { return run(*o); };
    }};

} // namespace
