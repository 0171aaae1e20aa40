// taskquant info MODEL_DIR: what a model directory holds, from its headers (no weights loaded).
// taskquant info FILE.gguf: header, the story a TaskQuant GGUF carries (gguf_story.h), metadata
// and tensor table.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>

#include "app/cli/command.h"
#include "app/cli/model_summary.h"
#include "core/export/gguf_story.h"
#include "core/io/gguf_reader.h"

namespace {

struct Options {
    std::string path;
    bool json = false;
};

bool isGgufFile(const std::string& path) {
    return path.size() > 5 && path.compare(path.size() - 5, 5, ".gguf") == 0;
}

// A .gguf file: header, metadata (arrays abbreviated), tensor table.
int runGguf(const Options& o) {
    using namespace taskquant::io;
    auto f = GgufFile::open(o.path);
    std::printf("GGUF version %u, alignment %u, %zu metadata keys, %zu tensors, %llu bytes\n",
                f->version(), f->alignment(), f->metadata().size(), f->tensors().size(),
                (unsigned long long)f->fileSize());
    const std::string story = taskquant::exporting::storyText(taskquant::exporting::readStory(*f));
    if (!story.empty())
        std::printf("\nstory:\n%s", story.c_str());
    std::printf("\nmetadata:\n");
    for (const auto& [key, value] : f->metadata().entries()) {
        std::string text = value.toString(6);
        if (text.size() > 120) // long strings (taskquant.policy) abbreviated
            text = text.substr(0, 100) + "... (" + std::to_string(text.size()) + " bytes)";
        std::printf("  %-44s %-16s %s\n", key.c_str(), value.typeString().c_str(), text.c_str());
    }
    std::printf("\ntensors:\n  %-36s %-6s %-22s %12s\n", "name", "type", "shape", "bytes");
    std::map<std::string, unsigned long long> byType;
    for (const auto& t : f->tensors()) {
        std::string shape;
        for (auto d : t.shape)
            shape += (shape.empty() ? "" : " x ") + std::to_string(d);
        const std::string type = ggmlTypeName(t.type);
        byType[type] += t.nbytes;
        std::printf("  %-36s %-6s %-22s %12llu\n", t.name.c_str(), type.c_str(), shape.c_str(),
                    (unsigned long long)t.nbytes);
    }
    std::printf("\nbytes by type:");
    for (const auto& [type, bytes] : byType)
        std::printf(" %s %llu;", type.c_str(), bytes);
    std::printf("\n");
    return 0;
}

int run(const Options& o) {
    if (isGgufFile(o.path))
        return runGguf(o);
    const auto summary = taskquant::cli::summarizeModelDirectory(o.path);
    if (o.json) {
        std::cout << summary.toJson().dump(2) << "\n";
        return 0;
    }
    std::cout << summary.toText();
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "info",
    "Describe a model directory: architecture, sizes, parameters per module kind, dtype, "
    "tokenizer",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("MODEL_DIR", o->path, "Hugging Face model directory, or a .gguf file")
            ->required();
        app.add_flag("--json", o->json, "Print the description as JSON");
        return [o] { return run(*o); };
    }};

} // namespace
