#pragma once
// The architecture hyper-parameters of a Hugging Face causal LM, read from config.json.
// Field names follow transformers; defaults are transformers' defaults for each model_type.
// Value type; parse() throws taskquant::Error naming the file on a missing or invalid field.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace taskquant::models {

struct RopeScaling {
    std::string type; // "" (none), "linear", "llama3"
    double factor = 1.0;
    double lowFreqFactor = 1.0;          // llama3
    double highFreqFactor = 4.0;         // llama3
    int64_t originalMaxPositions = 8192; // llama3
};

struct ModelConfig {
    std::string modelType; // llama, mistral, qwen2, phi
    int64_t vocabSize = 0;
    int64_t hiddenSize = 0;
    int64_t intermediateSize = 0;
    int64_t numLayers = 0;
    int64_t numHeads = 0;
    int64_t numKvHeads = 0;
    int64_t headDim = 0;
    int64_t maxPositions = 2048;
    double normEps = 1e-5; // rms_norm_eps or layer_norm_eps
    double ropeTheta = 10000.0;
    RopeScaling ropeScaling;
    double partialRotaryFactor = 1.0; // phi
    std::string hiddenAct = "silu";
    bool attentionBias = false; // bias on q, k, v
    bool outputBias = false;    // bias on o_proj / dense
    bool mlpBias = false;
    bool tieWordEmbeddings = false;
    int64_t slidingWindow = 0; // 0 = none
    int64_t bosTokenId = -1;
    int64_t eosTokenId = -1; // the first one if config lists several
    std::vector<int64_t> eosTokenIds;

    static ModelConfig parse(const nlohmann::json& j, const std::string& sourceName);
    static ModelConfig fromFile(const std::string& path);
    nlohmann::json toJson() const; // a transformers-compatible config.json
    int64_t rotaryDim() const { return static_cast<int64_t>(headDim * partialRotaryFactor); }
};

} // namespace taskquant::models
