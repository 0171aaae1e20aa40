#include "core/models/model_config.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/io/json_file.h"
#include "core/util/error.h"

namespace taskquant::models {

namespace {
using nlohmann::json;

struct Reader {
    const json& j;
    const std::string& src;

    int64_t integer(const char* key, int64_t def, bool required = false) const {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) {
            if (required)
                throw Error(src, std::string("missing required field \"") + key + "\"");
            return def;
        }
        if (!it->is_number_integer() || it->get<int64_t>() < -1)
            throw Error(src, std::string("field \"") + key + "\" must be a non-negative integer");
        return it->get<int64_t>();
    }
    double number(const char* key, double def) const {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return def;
        if (!it->is_number())
            throw Error(src, std::string("field \"") + key + "\" must be a number");
        return it->get<double>();
    }
    bool boolean(const char* key, bool def) const {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return def;
        if (!it->is_boolean())
            throw Error(src, std::string("field \"") + key + "\" must be true or false");
        return it->get<bool>();
    }
    std::string string(const char* key, const std::string& def) const {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return def;
        if (!it->is_string())
            throw Error(src, std::string("field \"") + key + "\" must be a string");
        return it->get<std::string>();
    }
};

void requireRange(const std::string& src, const char* what, int64_t v, int64_t max) {
    if (v <= 0 || v > max)
        throw Error(src, std::string(what) + " = " + std::to_string(v) + " is out of range (1.." +
                             std::to_string(max) + ")");
}
} // namespace

ModelConfig ModelConfig::parse(const json& j, const std::string& src) {
    if (!j.is_object())
        throw Error(src, "config.json is not a JSON object");
    Reader r{j, src};
    ModelConfig c;
    c.modelType = r.string("model_type", "");
    if (c.modelType.empty())
        throw Error(src, "missing required field \"model_type\"");
    const bool phi = c.modelType == "phi";
    c.vocabSize = r.integer("vocab_size", 0, true);
    c.hiddenSize = r.integer("hidden_size", 0, true);
    c.intermediateSize = r.integer("intermediate_size", 0, true);
    c.numLayers = r.integer("num_hidden_layers", 0, true);
    c.numHeads = r.integer("num_attention_heads", 0, true);
    c.numKvHeads = r.integer("num_key_value_heads", c.numHeads);
    requireRange(src, "vocab_size", c.vocabSize, 1 << 24);
    requireRange(src, "hidden_size", c.hiddenSize, 1 << 17);
    requireRange(src, "intermediate_size", c.intermediateSize, 1 << 19);
    requireRange(src, "num_hidden_layers", c.numLayers, 4096);
    requireRange(src, "num_attention_heads", c.numHeads, 4096);
    requireRange(src, "num_key_value_heads", c.numKvHeads, 4096);
    if (!j.contains("head_dim") && c.hiddenSize % c.numHeads != 0)
        throw Error(src, "hidden_size is not divisible by num_attention_heads");
    c.headDim = r.integer("head_dim", c.hiddenSize / c.numHeads);
    requireRange(src, "head_dim", c.headDim, 1 << 14);
    if (c.numHeads % c.numKvHeads != 0)
        throw Error(src, "num_attention_heads (" + std::to_string(c.numHeads) +
                             ") is not a multiple of num_key_value_heads (" +
                             std::to_string(c.numKvHeads) + ")");
    c.maxPositions = r.integer("max_position_embeddings", 2048);
    c.normEps = phi ? r.number("layer_norm_eps", 1e-5) : r.number("rms_norm_eps", 1e-6);
    if (!(c.normEps > 0 && c.normEps < 1))
        throw Error(src, "normalisation epsilon out of range");
    c.ropeTheta = r.number("rope_theta", 10000.0);
    if (!(c.ropeTheta > 1))
        throw Error(src, "rope_theta must be > 1");
    c.partialRotaryFactor = phi ? r.number("partial_rotary_factor", 0.5) : 1.0;
    if (!(c.partialRotaryFactor > 0 && c.partialRotaryFactor <= 1))
        throw Error(src, "partial_rotary_factor must be in (0, 1]");
    if (c.rotaryDim() < 2 || c.rotaryDim() % 2 != 0)
        throw Error(src, "rotary dimension (head_dim x partial_rotary_factor) must be even");
    c.hiddenAct = r.string("hidden_act", phi ? "gelu_new" : "silu");
    if (c.modelType == "qwen2") {
        c.attentionBias = true;
    } else if (phi) {
        c.attentionBias = c.outputBias = c.mlpBias = true;
    } else {
        c.attentionBias = c.outputBias = r.boolean("attention_bias", false);
        c.mlpBias = r.boolean("mlp_bias", false);
    }
    c.tieWordEmbeddings = r.boolean("tie_word_embeddings", false);
    if (c.modelType == "mistral" || c.modelType == "qwen2") {
        bool use = c.modelType == "mistral" || r.boolean("use_sliding_window", false);
        auto sw = j.find("sliding_window");
        if (use && sw != j.end() && sw->is_number_integer() && sw->get<int64_t>() > 0)
            c.slidingWindow = sw->get<int64_t>();
    }
    c.bosTokenId = r.integer("bos_token_id", -1);
    if (auto it = j.find("eos_token_id"); it != j.end() && !it->is_null()) {
        if (it->is_number_integer()) {
            c.eosTokenIds = {it->get<int64_t>()};
        } else if (it->is_array()) {
            for (const auto& v : *it) {
                if (!v.is_number_integer())
                    throw Error(src, "eos_token_id list must hold integers");
                c.eosTokenIds.push_back(v.get<int64_t>());
            }
        } else {
            throw Error(src, "eos_token_id must be an integer or a list of integers");
        }
    }
    c.eosTokenId = c.eosTokenIds.empty() ? -1 : c.eosTokenIds.front();
    if (auto it = j.find("rope_scaling"); it != j.end() && !it->is_null()) {
        if (!it->is_object())
            throw Error(src, "rope_scaling must be an object or null");
        Reader rs{*it, src};
        std::string type = rs.string("rope_type", rs.string("type", ""));
        if (type == "default")
            type.clear();
        if (!type.empty() && type != "linear" && type != "llama3")
            throw Error(src, "unsupported rope_scaling type \"" + type +
                                 "\" (supported: linear, llama3)");
        c.ropeScaling.type = type;
        if (type == "llama3")
            // Hugging Face raises on a missing field; defaulting them changed the model silently.
            for (const char* key : {"factor", "low_freq_factor", "high_freq_factor",
                                    "original_max_position_embeddings"})
                if (!it->contains(key))
                    throw Error(src, std::string("rope_scaling: llama3 needs \"") + key +
                                         "\", which is missing");
        c.ropeScaling.factor = rs.number("factor", 1.0);
        c.ropeScaling.lowFreqFactor = rs.number("low_freq_factor", 1.0);
        c.ropeScaling.highFreqFactor = rs.number("high_freq_factor", 4.0);
        c.ropeScaling.originalMaxPositions = rs.integer("original_max_position_embeddings", 8192);
        if (!type.empty() && !(c.ropeScaling.factor > 0))
            throw Error(src, "rope_scaling.factor must be > 0");
        if (type == "llama3" &&
            (!(c.ropeScaling.highFreqFactor > c.ropeScaling.lowFreqFactor) ||
             !(c.ropeScaling.lowFreqFactor > 0) || c.ropeScaling.originalMaxPositions <= 0))
            throw Error(src, "rope_scaling: llama3 needs 0 < low_freq_factor < high_freq_factor "
                             "and original_max_position_embeddings > 0");
    }
    return c;
}

ModelConfig ModelConfig::fromFile(const std::string& path) {
    return parse(io::readJsonFile(path, 4u << 20), path);
}

json ModelConfig::toJson() const {
    json j;
    static const std::map<std::string, std::string> classes = {{"llama", "LlamaForCausalLM"},
                                                               {"mistral", "MistralForCausalLM"},
                                                               {"qwen2", "Qwen2ForCausalLM"},
                                                               {"phi", "PhiForCausalLM"}};
    if (auto it = classes.find(modelType); it != classes.end())
        j["architectures"] = {it->second};
    j["model_type"] = modelType;
    j["vocab_size"] = vocabSize;
    j["hidden_size"] = hiddenSize;
    j["intermediate_size"] = intermediateSize;
    j["num_hidden_layers"] = numLayers;
    j["num_attention_heads"] = numHeads;
    j["num_key_value_heads"] = numKvHeads;
    j["head_dim"] = headDim;
    j["max_position_embeddings"] = maxPositions;
    j["rope_theta"] = ropeTheta;
    j["hidden_act"] = hiddenAct;
    j["tie_word_embeddings"] = tieWordEmbeddings;
    j["torch_dtype"] = "float32";
    if (modelType == "phi") {
        j["layer_norm_eps"] = normEps;
        j["partial_rotary_factor"] = partialRotaryFactor;
        j["qk_layernorm"] = false;
    } else {
        j["rms_norm_eps"] = normEps;
    }
    if (modelType == "llama") {
        j["attention_bias"] = attentionBias;
        j["mlp_bias"] = mlpBias;
    }
    if (modelType == "mistral" || modelType == "qwen2") {
        j["sliding_window"] = slidingWindow > 0 ? json(slidingWindow) : json(nullptr);
        if (modelType == "qwen2")
            j["use_sliding_window"] = slidingWindow > 0;
    }
    if (ropeScaling.type.empty()) {
        j["rope_scaling"] = nullptr;
    } else {
        json rs = {{"rope_type", ropeScaling.type}, {"factor", ropeScaling.factor}};
        if (ropeScaling.type == "llama3") {
            rs["low_freq_factor"] = ropeScaling.lowFreqFactor;
            rs["high_freq_factor"] = ropeScaling.highFreqFactor;
            rs["original_max_position_embeddings"] = ropeScaling.originalMaxPositions;
        }
        j["rope_scaling"] = rs;
    }
    if (bosTokenId >= 0)
        j["bos_token_id"] = bosTokenId;
    if (eosTokenIds.size() > 1)
        j["eos_token_id"] = eosTokenIds;
    else if (eosTokenId >= 0)
        j["eos_token_id"] = eosTokenId;
    return j;
}

} // namespace taskquant::models
