#pragma once
// Small random-weight models of every supported architecture, written in the Hugging Face layout
// (config.json, model.safetensors, tokenizer.json + tokenizer_config.json) through the same
// safetensors writer exports use. For tests and benchmarks; deterministic from the seed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/model_config.h"

namespace taskquant::models {

struct SyntheticSpec {
    // llama (Llama 2 style), llama3 (GQA, llama3 rope scaling, tied), mistral (GQA, sliding
    // window), qwen2 (GQA, q/k/v biases, tied), phi (Phi-2 style).
    std::string preset = "llama";
    int64_t hiddenSize = 64;
    int64_t numLayers = 2;
    int64_t numHeads = 4;
    int64_t numKvHeads = 0;       // 0 = the preset's choice
    int64_t intermediateSize = 0; // 0 = the preset's choice
    int64_t bpeMerges = 200;      // tokenizer size: 256 bytes + merges + 2 special tokens
    // The model's vocabulary (embedding and lm_head rows); 0 = the tokenizer's size. Larger pads
    // rows no token maps to, as real checkpoints pad theirs (a benchmark of Llama-3's shape
    // takes its 128,256 rows); smaller than the tokenizer is an error.
    int64_t vocabSize = 0;
    bool untied = false; // lm_head stored apart even where the preset ties it (Llama-3.1-8B)
    uint64_t seed = 0;
    std::string dtype = "f32"; // storage dtype of model.safetensors: f32, bf16 or f16
};

std::vector<std::string> syntheticPresets();
ModelConfig syntheticConfig(const SyntheticSpec& spec);
// Writes the model into dir (created if missing). Throws taskquant::Error.
void writeSyntheticModel(const std::string& dir, const SyntheticSpec& spec,
                         const JobControl& job = {});

} // namespace taskquant::models
