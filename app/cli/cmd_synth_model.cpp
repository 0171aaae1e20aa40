// taskquant synth-model DIR --arch A: a small random-weight model of any supported architecture,
// in the Hugging Face layout, for trying the tools without downloading anything.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/command.h"
#include "core/models/synthetic_model.h"

namespace {

struct Options {
    std::string dir;
    taskquant::models::SyntheticSpec spec;
};

int run(const Options& o) {
    taskquant::models::writeSyntheticModel(o.dir, o.spec);
    auto c = taskquant::models::syntheticConfig(o.spec);
    std::cout << "wrote a random-weight " << o.spec.preset << " model (" << c.numLayers
              << " layers, hidden " << c.hiddenSize << ", vocabulary " << c.vocabSize << ", "
              << o.spec.dtype << ") to " << o.dir << "\n";
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "synth-model", "Write a small random-weight model (llama, llama3, mistral, qwen2, phi)",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        app.add_option("DIR", o->dir, "Output directory")->required();
        app.add_option("--arch", o->spec.preset, "llama, llama3, mistral, qwen2 or phi")
            ->check(CLI::IsMember(taskquant::models::syntheticPresets()))
            ->default_val("llama");
        app.add_option("--hidden", o->spec.hiddenSize, "Hidden size")
            ->check(CLI::Range(8, 16384))
            ->default_val(64);
        app.add_option("--layers", o->spec.numLayers, "Layers")
            ->check(CLI::Range(1, 512))
            ->default_val(2);
        app.add_option("--heads", o->spec.numHeads, "Attention heads")
            ->check(CLI::Range(1, 512))
            ->default_val(4);
        app.add_option("--kv-heads", o->spec.numKvHeads, "Key/value heads (0: preset)")
            ->check(CLI::Range(0, 512));
        app.add_option("--intermediate", o->spec.intermediateSize, "MLP size (0: preset)")
            ->check(CLI::Range(0, 1 << 18));
        app.add_option("--merges", o->spec.bpeMerges, "Tokenizer BPE merges")
            ->check(CLI::Range(0, 100000))
            ->default_val(200);
        app.add_option("--vocab", o->spec.vocabSize,
                       "Vocabulary rows of the embedding and lm_head (0: the tokenizer's size; "
                       "larger pads rows no token maps to, e.g. 128256 for Llama 3's shape)")
            ->check(CLI::Range(0, 1 << 22));
        app.add_flag("--untied", o->spec.untied,
                     "Store lm_head apart even where the preset ties it (Llama-3.1-8B)");
        app.add_option("--seed", o->spec.seed, "Random seed")->default_val(0);
        app.add_option("--dtype", o->spec.dtype,
                       "Storage dtype of model.safetensors: f32, bf16 (half the disk) or f16")
            ->check(CLI::IsMember({"f32", "bf16", "f16"}))
            ->default_val("f32");
        return [o] { return run(*o); };
    }};

} // namespace
