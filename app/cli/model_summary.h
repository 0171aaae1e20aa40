#pragma once
// A description of a model directory for `taskquant info`, read from config.json, the
// safetensors headers and the tokenizer files; no weights are loaded.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/models/model_config.h"

namespace taskquant::cli {

struct ModelSummary {
    std::string directory;
    models::ModelConfig config;
    std::map<std::string, int64_t> parametersByKind; // module kind -> parameter count
    std::map<std::string, int64_t> tensorsByDtype;   // F32/F16/BF16 -> tensor count
    int64_t parameters = 0;
    uint64_t weightBytes = 0;
    int files = 0;
    std::string tokenizer; // a one-line description

    nlohmann::json toJson() const;
    std::string toText() const;
};

ModelSummary summarizeModelDirectory(const std::string& dir);

} // namespace taskquant::cli
