// taskquant export MODEL_DIR --policy P.json --format gguf|safetensors|tensor-types --out PATH
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/export/gguf_export.h"
#include "core/export/safetensors_export.h"
#include "core/export/tensor_type_file.h"

namespace {

struct Options {
    std::string dir, policy, format, out;
};

int run(const Options& o) {
    using namespace taskquant;
    const policy::Policy p = policy::Policy::readFile(o.policy);
    std::vector<std::string> notes;
    uint64_t bytes = 0;
    if (o.format == "gguf") {
        cli::ProgressPrinter printer("export gguf", "bytes");
        auto r = exporting::exportGguf(o.dir, p, o.out, printer.control());
        printer.finish();
        notes = r.notes;
        bytes = r.bytes;
    } else if (o.format == "safetensors") {
        cli::ProgressPrinter printer("export safetensors", "bytes");
        auto r = exporting::exportSafetensorsDirectory(o.dir, p, o.out, printer.control());
        printer.finish();
        notes = r.notes;
        bytes = r.bytes;
    } else {
        notes = exporting::exportTensorTypeFile(o.dir, p, o.out);
    }
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
        return [o] { return run(*o); };
    }};

} // namespace
