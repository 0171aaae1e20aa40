// taskquant info MODEL_DIR: what a model directory holds, from its headers (no weights loaded).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>

#include "app/cli/command.h"
#include "app/cli/model_summary.h"

namespace {

struct Options {
    std::string path;
    bool json = false;
};

int run(const Options& o) {
    const auto summary = taskquant::cli::summarizeModelDirectory(o.path);
    if (o.json) {
        std::cout << summary.toJson().dump(2) << "\n";
        return 0;
    }
    std::cout << summary.toText();
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "info", "Describe a model directory: architecture, sizes, parameters per module kind, dtype, "
            "tokenizer",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->path, "Hugging Face model directory")->required();
        app.add_flag("--json", o->json, "Print the description as JSON");
        return [o] { return run(*o); };
    }};

} // namespace
