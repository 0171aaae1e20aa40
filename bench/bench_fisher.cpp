// Fisher throughput: the study's one-sample loop against the exact batched mode, on the same
// model and samples in one run, with the machine's matmul throughput measured alongside.
// Usage: bench_fisher [GSM8K_JSONL] [SAMPLES] [HIDDEN] [LAYERS] [BATCH (0: automatic)]
//   default: ../shared/data/gsm8k/train.jsonl, 64 samples, a generated Llama of ~25M parameters.
#include <ATen/ATen.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "core/data/dataset_spec.h"
#include "core/data/load_texts.h"
#include "core/data/sampling.h"
#include "core/jobs/runtime.h"
#include "core/models/model_loader.h"
#include "core/models/synthetic_model.h"
#include "core/sensitivity/fisher.h"
#include "core/tokenize/tokenizer.h"

using namespace taskquant;
using Clock = std::chrono::steady_clock;

static double seconds(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

int main(int argc, char** argv) {
    const int threads = configureThreads(); // TASKQUANT_THREADS, else every core, as the CLI
    const std::string data = argc > 1 ? argv[1] : "../shared/data/gsm8k/train.jsonl";
    const std::size_t n = argc > 2 ? std::stoul(argv[2]) : 64;
    models::SyntheticSpec spec;
    spec.preset = "llama";
    spec.hiddenSize = argc > 3 ? std::stol(argv[3]) : 512;
    spec.numLayers = argc > 4 ? std::stol(argv[4]) : 6;
    spec.numHeads = 8;
    spec.bpeMerges = 4000;
    char tmpl[] = "/tmp/tq-bench-fisher-XXXXXX";
    const std::string dir = std::string(::mkdtemp(tmpl)) + "/model";
    models::writeSyntheticModel(dir, spec);
    auto model = models::loadModel(dir);
    auto tok = tokenize::loadTokenizer(dir);
    auto texts = data::sampleTexts(data::loadTexts(data::makeDatasetSpec("gsm8k", data)), n, 0);
    std::vector<std::vector<int64_t>> samples;
    int64_t tokens = 0, maxLen = 1;
    for (const auto& t : texts) {
        auto ids = tok->encode(t, true);
        samples.emplace_back(ids.begin(), ids.end());
        tokens += static_cast<int64_t>(ids.size());
        maxLen = std::max<int64_t>(maxLen, static_cast<int64_t>(ids.size()));
    }
    std::printf("model: generated llama, %.1fM parameters, %lld layers, hidden %lld\n",
                model->parameterCount() / 1e6, (long long)spec.numLayers,
                (long long)spec.hiddenSize);
    std::printf("data:  %zu GSM8K questions, %lld tokens (mean %.0f)\n", samples.size(),
                (long long)tokens, double(tokens) / samples.size());

    // Matmul throughput of this machine, now: the best of three 1-second windows.
    auto a = at::randn({1024, 1024}), b = at::randn({1024, 1024});
    at::matmul(a, b);
    double gflops = 0;
    auto t0 = Clock::now();
    for (int window = 0; window < 3; ++window) {
        t0 = Clock::now();
        int reps = 0;
        while (seconds(t0) < 1.0) {
            at::matmul(a, b);
            ++reps;
        }
        gflops = std::max(gflops, 2.0 * 1024 * 1024 * 1024 * reps / seconds(t0) / 1e9);
    }

    sensitivity::FisherOptions o;
    o.batchSize = argc > 5 ? std::stol(argv[5]) : 0;
    o.exactLoop = true;
    t0 = Clock::now();
    auto loop = sensitivity::computeFisher(*model, samples, o);
    const double tLoop = seconds(t0);
    o.exactLoop = false;
    t0 = Clock::now();
    auto batched = sensitivity::computeFisher(*model, samples, o);
    const double tBatch = seconds(t0);
    double worst = 0;
    for (std::size_t i = 0; i < loop.size(); ++i) {
        const double x = loop.entries()[i].score, y = batched.entries()[i].score;
        worst = std::max(worst, std::abs(x - y) / std::max(1e-30, std::abs(x)));
    }
    // Forward + backward of the loop costs about 6 FLOPs per parameter per token.
    const double flops = 6.0 * double(model->parameterCount()) * double(tokens);
    std::printf("threads: %d\n", threads);
    std::printf("matmul 1024^3 fp32:        %8.1f GFLOP/s\n", gflops);
    std::printf("loop (study):   %7.2f s  %8.0f tokens/s  %5.1f%% of matmul peak\n", tLoop,
                tokens / tLoop, 100.0 * flops / tLoop / 1e9 / gflops);
    std::printf("batched exact:  %7.2f s  %8.0f tokens/s  (%lld per batch)\n", tBatch,
                tokens / tBatch,
                (long long)(o.batchSize > 0 ? o.batchSize
                                            : sensitivity::automaticBatchSize(*model, maxLen)));
    std::printf("ratio batched/loop: %.2fx   max relative score difference: %.2e\n", tLoop / tBatch,
                worst);
    return 0;
}
