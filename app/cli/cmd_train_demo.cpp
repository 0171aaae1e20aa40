// taskquant train-demo --out DIR: trains the project's own demo model (see
// core/demo/demo_trainer.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/cli/command.h"
#include "app/cli/progress_printer.h"
#include "core/demo/demo_trainer.h"
#include "core/io/output_path.h"

namespace {

struct Options {
    std::string out;
    taskquant::demo::DemoTrainingSettings settings;
};

int run(const Options& o) {
    using namespace taskquant;
    // Every output checked before any work (core/io/output_path.h).
    io::checkOutputs({{"--out", o.out, io::OutputKind::FilesInDirectory}});
    const auto& s = o.settings;
    std::cerr << "train-demo: " << s.numLayers << " layers, hidden " << s.hiddenSize << ", vocab "
              << s.vocabSize << ", " << s.steps << " steps of " << s.batchSize << " samples, "
              << s.threads << " thread(s)\n";
    cli::ProgressPrinter progress("train-demo", "steps");
    const auto report = demo::trainDemoModel(o.out, s, progress.control());
    progress.finish();
    const auto& t = report["held_out"]["trained"];
    const auto& u = report["held_out"]["untrained"];
    const auto n = report["held_out"]["answer_samples_per_kind"].get<int64_t>();
    std::printf("%lld parameters, %lld steps, %lld tokens, training %.0f s, total %.0f s\n",
                (long long)report["parameters"].get<int64_t>(), (long long)s.steps,
                (long long)report["tokens_trained"].get<int64_t>(),
                report["train_seconds"].get<double>(), report["wall_seconds"].get<double>());
    std::printf("%-34s %10s %10s\n", "held-out", "trained", "untrained");
    for (const char* k : {"loss_arithmetic", "loss_stories", "loss_lookup", "loss_facts"})
        if (t.contains(k))
            std::printf("%-34s %10.4f %10.4f\n", k, t[k].get<double>(), u[k].get<double>());
    for (const char* k : {"arithmetic_1step", "arithmetic_2step", "stories", "lookup", "facts"}) {
        const std::string c = std::string("correct_") + k;
        if (!t.contains(c))
            continue;
        std::printf("%-34s %6lld/%-3lld %6lld/%-3lld\n",
                    (std::string("exact answers, ") + k).c_str(), (long long)t[c].get<int64_t>(),
                    (long long)n, (long long)u[c].get<int64_t>(), (long long)n);
    }
    std::printf("wrote %s\n", o.out.c_str());
    return 0;
}

taskquant::cli::CommandRegistration reg{
    "train-demo", "Train the demo model (tokenizer + small Llama) on the synthetic tasks",
    [](CLI::App& app) {
        auto o = std::make_shared<Options>();
        auto& s = o->settings;
        app.add_option("--out", o->out, "Output model directory (Hugging Face layout)")->required();
        app.add_option("--steps", s.steps, "Optimizer steps")
            ->check(CLI::Range(int64_t(1), int64_t(1) << 30))
            ->capture_default_str();
        app.add_option("--batch-size", s.batchSize, "Samples per step")
            ->check(CLI::Range(int64_t(1), int64_t(4096)))
            ->capture_default_str();
        app.add_option("--learning-rate", s.learningRate, "Peak learning rate")
            ->check(CLI::PositiveNumber)
            ->capture_default_str();
        app.add_option("--threads", s.threads,
                       "Intra-op threads (results are reproducible for a fixed count)")
            ->check(CLI::Range(1, 256))
            ->capture_default_str();
        app.add_option("--seed", s.initSeed, "Seed of the initial weights")->capture_default_str();
        app.add_option("--layers", s.numLayers, "Decoder layers")
            ->check(CLI::Range(int64_t(1), int64_t(64)))
            ->capture_default_str();
        app.add_option("--hidden", s.hiddenSize, "Hidden size")
            ->check(CLI::Range(int64_t(8), int64_t(8192)))
            ->capture_default_str();
        app.add_option("--intermediate", s.intermediateSize, "MLP intermediate size")
            ->check(CLI::Range(int64_t(8), int64_t(32768)))
            ->capture_default_str();
        app.add_option("--warmup", s.warmupSteps, "Warm-up steps")
            ->check(CLI::Range(int64_t(0), int64_t(1) << 30))
            ->capture_default_str();
        app.add_option("--data-seed", s.dataSeed, "Seed of the generated training problems")
            ->capture_default_str();
        app.add_option("--train-arithmetic", s.trainArithmetic, "Arithmetic training problems")
            ->check(CLI::Range(int64_t(0), int64_t(1) << 24))
            ->capture_default_str();
        app.add_option("--train-stories", s.trainStories, "Stories training problems")
            ->check(CLI::Range(int64_t(0), int64_t(1) << 24))
            ->capture_default_str();
        app.add_option("--train-lookup", s.trainLookup,
                       "In-context lookup training problems (0: left out)")
            ->check(CLI::Range(int64_t(0), int64_t(1) << 24))
            ->capture_default_str();
        app.add_option("--train-facts", s.trainFacts,
                       "Memorised-facts training problems (0: left out)")
            ->check(CLI::Range(int64_t(0), int64_t(1) << 24))
            ->capture_default_str();
        app.add_option("--max-tokens", s.maxTokens, "Tokens per training sample (truncated)")
            ->check(CLI::Range(int64_t(8), int64_t(1) << 20))
            ->capture_default_str();
        return [o] { return run(*o); };
    }};

} // namespace
