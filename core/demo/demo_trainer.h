#pragma once
// `taskquant train-demo`: the project's own demo model. Generates the two synthetic tasks
// (core/data/synthetic_tasks.h), trains a sentencepiece BPE tokenizer on the training texts
// (libsentencepiece's trainer, single-threaded, no sentence sampling or shuffling) and a small
// Llama-architecture model on them (AdamW, warm-up + cosine learning rate, global gradient-norm
// clipping), then measures held-out loss and exact-answer accuracy of greedy generation on
// held-out 1- and 2-step arithmetic and on stories (fact lookup), for the trained model and for
// the untrained initial weights of the same shape.
//
// The default shape is one every GGUF type applies to: hidden 256, MLP 512, key/value
// projections 256 wide, vocabulary 512 (every row length and the embedding's row count divide
// 256, the k-quant super-block). Weights are stored as F16; the trained figures of the report are
// measured on the F16-rounded weights, i.e. on the stored model.
//
// Output, in the Hugging Face layout: config.json, model.safetensors (F16), tokenizer.model,
// tokenizer_config.json, special_tokens_map.json, generation_config.json, training_report.json.
// Files are written only at the end, each atomically; a failure or cancel leaves no new files.
//
// Deterministic on the CPU: every random choice comes from the settings' seeds and training runs
// with `threads` intra-op threads (1 by default, so the result does not depend on the machine's
// core count). Blocking; progress (one unit per optimizer step) and cancel through JobControl.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/jobs/progress.h"
#include "core/models/model_config.h"

namespace taskquant::demo {

struct DemoTrainingSettings {
    // Data.
    uint64_t dataSeed = 7;
    int64_t trainArithmetic = 20000, trainStories = 10000;
    // The two tasks that load different parts of the network (synthetic_tasks.h): in-context
    // lookup (attention) and memorised facts (MLPs). 0 leaves a task out of training (and out of
    // toJson, so that reports of models trained without them keep their form).
    int64_t trainLookup = 0, trainFacts = 0;
    // Tokenizer.
    int64_t vocabSize = 512;
    // Model (Llama architecture, untied output head).
    int64_t hiddenSize = 256, numLayers = 2, numHeads = 4, intermediateSize = 512;
    int64_t maxPositions = 256;
    uint64_t initSeed = 1;
    // Optimisation.
    uint64_t batchSeed = 2;
    int64_t steps = 400, batchSize = 32, warmupSteps = 20, maxTokens = 192;
    double learningRate = 3e-3, minLearningRate = 3e-4, weightDecay = 0.1, gradClip = 1.0;
    int threads = 1;
    // Evaluation (held-out test splits).
    uint64_t evalSeed = 11;
    int64_t evalLossSamples = 200;   // per task
    int64_t evalAnswerSamples = 100; // per kind: 1-step, 2-step arithmetic; stories

    nlohmann::json toJson() const;
};

// The model configuration train-demo writes for these settings.
models::ModelConfig demoModelConfig(const DemoTrainingSettings& settings);

// Trains and writes the model into outDir (created if missing). Returns the training report
// (also written as training_report.json). Throws Error / Cancelled.
nlohmann::json trainDemoModel(const std::string& outDir, const DemoTrainingSettings& settings,
                              const JobControl& job = {});

} // namespace taskquant::demo
