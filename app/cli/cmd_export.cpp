// taskquant export MODEL_DIR --policy P.json --format gguf|safetensors|tensor-types --out PATH
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/export/export_run.h"

namespace {

struct Options {
    std::string dir, policy, format, out, imatrix;
};

int run(const Options& o) {
    using namespace taskquant;
    const policy::Policy p = policy::Policy::readFile(o.policy);
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
    "export", "Write a model under a policy: GGUF for llama.cpp, a Hugging Face safetensors "
              "directory, or a llama-quantize tensor-type file",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->dir, "Hugging Face model directory")->required();
        app.add_option("--policy", o->policy, "Policy JSON")->required();
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
