#pragma once
// The main job on the embedded default (`taskquant demo`, scripts/demo.sh), on any Llama model
// directory whose tokenizer can write the demo tasks:
//  1. maps: Fisher on task A (arithmetic) and task B (stories), and magnitude (demo_maps.h);
//  2. the size-quality frontier on task A (eval/frontier.h): uniform types, llama.cpp's mixes,
//     the optimal allocation of each map and of the errors alone at every budget of `bits`;
//  3. the task-A policy: the optimal allocation of the task-A map at `budgetBits`;
//  4. evaluated on task A and task B (KLD against the unquantized model, same top-1 token, and
//     optionally exact answers of greedy generation) next to the unquantized model, the llama.cpp
//     mix of the nearest size and the task-B policy at the same budget;
//  5. the task-A policy exported as GGUF and read back: its tensors put into the model from the
//     file (eval/gguf_weights.h, float32 arithmetic) and evaluated again, which must give the
//     in-memory policy's figures;
//  6. the cross-task matrix (eval/transfer.h runTransfer) at `transferBits` (a low budget where
//     greedy answers change, and 4.5): each task's own policy (its calibration split: the
//     generated train split), the mixed policy and llama.cpp's nearest mix with each task's
//     importance matrix, every one evaluated on both tasks' held-out splits (KLD with bootstrap
//     intervals, exact answers with Wilson intervals), and a verdict per task and budget: does
//     the task's own policy beat the best other policy of equal size? The verdicts say what the
//     numbers say, a win or "no task-specific gain here".
// Task texts: the held-out splits of the file-less dataset kinds "arithmetic" and "stories"
// (data::loadTexts, seed `seed`), joined by blank lines and cut into `chunks` windows of `ctx`
// tokens. Files written into outDir (atomically): arithmetic.fisher.json/.csv,
// stories.fisher.json/.csv, magnitude.json/.csv, frontier.json, frontier.svg,
// policy-arithmetic.json, policy-stories.json, demo-arithmetic.gguf, transfer.json,
// transfer.svg (when transferBits is not empty), summary.json.
// Blocking; progress over the whole job; cancellable. Throws taskquant::Error.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/demo/demo_maps.h"
#include "core/eval/transfer.h"
#include "core/jobs/progress.h"

namespace taskquant::demo {

struct DemoJobOptions {
    std::string modelDir, outDir;
    int64_t mapSamples = 64;                // per task, for the Fisher maps
    uint64_t seed = 0;                      // of every generated held-out problem
    double budgetBits = 4.5;                // the policy's budget, bits per weight
    std::vector<double> bits{4, 4.5, 5, 6}; // the frontier's budgets (budgetBits is added)
    int64_t ctx = 256, chunks = 8;          // evaluation windows per task
    int64_t answerSamples = 0;              // exact-answer problems per task (0 = none)
    // The cross-task matrix (stage 6); empty = skipped.
    std::vector<double> transferBits{3.5, 4.5};
    int64_t transferWindows = 16; // held-out windows of 128 tokens per task
    int64_t transferAnswers = 32; // greedy-answer problems per task (0 = none)
};

struct DemoTaskFigures {
    double kld = 0, sameTop1 = 0, ppl = 0;
    int64_t correct = -1, total = 0; // exact answers; -1 = not measured
};

struct DemoRow {
    std::string label; // what the row is
    std::string role; // "reference", "llama.cpp mix", "task-B policy", "task-A policy", "GGUF file"
    uint64_t bytes = 0;
    double bitsPerWeight = 0;
    DemoTaskFigures taskA, taskB;
    // The damage model's predicted KLD on task A (the frontier's text) for the policies the
    // frontier evaluated (exporting::predictDamage); JSON task_a.predicted_kld.
    std::optional<double> predictedKldA;
};

struct DemoJobResult {
    double spearmanTasks = 0, spearmanAMagnitude = 0, spearmanBMagnitude = 0;
    std::size_t sharedTensors = 0;
    // The same between the two task maps over the block matrices only (the tensors the
    // allocator chooses types for: models::classify(name).isQuantizableWeight()).
    double spearmanTasksMatrices = 0;
    std::size_t sharedMatrices = 0;
    int64_t frontierPoints = 0;
    // Per frontier budget b: does the task-A optimal allocation beat every uniform type and
    // llama.cpp mix whose size is at most its own (strictly lower task-A KLD)?
    int64_t winsOverBaselines = 0, lossesToBaselines = 0;
    std::vector<DemoRow> rows;
    std::size_t ggufTensors = 0;
    uint64_t ggufBytes = 0;
    std::vector<std::pair<std::string, std::string>> files; // what, path
    // Stage 6 (absent when skipped).
    std::optional<eval::TransferResult> transfer;
    double mapsSeconds = 0, frontierSeconds = 0, evalSeconds = 0, exportSeconds = 0,
           transferSeconds = 0, totalSeconds = 0;

    std::string table() const; // the compact table the CLI prints
    nlohmann::ordered_json toJson() const;
};

DemoJobResult runDemoJob(const DemoJobOptions& options, const JobControl& job = {});

} // namespace taskquant::demo
