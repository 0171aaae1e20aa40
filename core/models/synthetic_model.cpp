#include "core/models/synthetic_model.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/models/synthetic_tokenizer.h"
#include "core/util/error.h"

namespace taskquant::models {

std::vector<std::string> syntheticPresets() {
    return {"llama", "llama3", "mistral", "qwen2", "phi"};
}

ModelConfig syntheticConfig(const SyntheticSpec& s) {
    const auto presets = syntheticPresets();
    if (std::find(presets.begin(), presets.end(), s.preset) == presets.end())
        throw Error("unknown synthetic model preset \"" + s.preset +
                    "\" (choose llama, llama3, mistral, qwen2 or phi)");
    if (s.hiddenSize <= 0 || s.numHeads <= 0 || s.hiddenSize % s.numHeads != 0 || s.numLayers <= 0)
        throw Error("synthetic model: hidden size must be a positive multiple of the head count");
    ModelConfig c;
    c.modelType = s.preset == "llama3" ? "llama" : s.preset;
    c.hiddenSize = s.hiddenSize;
    c.numLayers = s.numLayers;
    c.numHeads = s.numHeads;
    c.headDim = s.hiddenSize / s.numHeads;
    const bool gqa = s.preset == "llama3" || s.preset == "mistral" || s.preset == "qwen2";
    c.numKvHeads = s.numKvHeads > 0 ? s.numKvHeads
                                    : (gqa && s.numHeads % 2 == 0 ? s.numHeads / 2 : s.numHeads);
    c.intermediateSize = s.intermediateSize > 0
                             ? s.intermediateSize
                             : (s.preset == "phi" ? 4 * s.hiddenSize : (8 * s.hiddenSize) / 3);
    c.vocabSize = 256 + s.bpeMerges + 2;
    if (s.vocabSize > 0 && s.vocabSize < c.vocabSize)
        throw Error("synthetic model: a vocabulary of " + std::to_string(s.vocabSize) +
                    " is smaller than the tokenizer's " + std::to_string(c.vocabSize) +
                    " tokens (256 bytes + merges + 2)");
    c.vocabSize = std::max(c.vocabSize, s.vocabSize);
    c.maxPositions = 4096;
    c.bosTokenId = 256 + s.bpeMerges;
    c.eosTokenId = c.bosTokenId + 1;
    c.eosTokenIds = {c.eosTokenId};
    if (s.preset == "phi") {
        c.hiddenAct = "gelu_new";
        c.normEps = 1e-5;
        c.partialRotaryFactor = 0.5;
        c.attentionBias = c.outputBias = c.mlpBias = true;
    } else {
        c.normEps = 1e-6;
        c.hiddenAct = "silu";
    }
    if (s.preset == "llama3") {
        c.ropeTheta = 500000.0;
        c.ropeScaling = {"llama3", 32.0, 1.0, 4.0, 8192};
        c.tieWordEmbeddings = true;
    }
    if (s.preset == "qwen2") {
        c.ropeTheta = 1000000.0;
        c.attentionBias = true;
        c.tieWordEmbeddings = true;
    }
    if (s.preset == "mistral")
        c.slidingWindow = 4096;
    if (s.untied)
        c.tieWordEmbeddings = false;
    return c;
}

void writeSyntheticModel(const std::string& dir, const SyntheticSpec& spec, const JobControl& job) {
    const ModelConfig c = syntheticConfig(spec);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        throw Error(dir, std::string("cannot create directory: ") + std::strerror(errno));

    // Tokenizer first: it fixes the vocabulary size.
    const std::string pre = spec.preset == "llama3"  ? "llama3"
                            : spec.preset == "qwen2" ? "qwen2"
                                                     : "gpt2";
    const std::string bos = "<|bos|>", eos = "<|eos|>";
    auto tok = makeByteLevelTokenizer(pre, static_cast<int>(spec.bpeMerges), bos, eos);
    io::writeJsonFile(dir + "/tokenizer.json", tok);
    const bool addBos = spec.preset != "phi" && spec.preset != "qwen2";
    io::writeJsonFile(dir + "/tokenizer_config.json",
                      {{"bos_token", bos},
                       {"eos_token", eos},
                       {"add_bos_token", addBos},
                       {"add_eos_token", false},
                       {"model_max_length", c.maxPositions},
                       {"tokenizer_class", "PreTrainedTokenizerFast"}});
    io::writeJsonFile(dir + "/special_tokens_map.json", {{"bos_token", bos}, {"eos_token", eos}});
    io::writeJsonFile(dir + "/generation_config.json",
                      {{"bos_token_id", c.bosTokenId}, {"eos_token_id", c.eosTokenId}});
    auto configJson = c.toJson();
    configJson["torch_dtype"] = spec.dtype == "bf16"  ? "bfloat16"
                                : spec.dtype == "f16" ? "float16"
                                                      : "float32";
    io::writeJsonFile(dir + "/config.json", configJson);

    // Parameter list in the architecture's order (names and shapes), random normal weights.
    struct P {
        std::string name;
        std::vector<int64_t> shape;
        char kind; // w: weight, b: bias, n: norm weight, m: norm bias
    };
    std::vector<P> ps{{"model.embed_tokens.weight", {c.vocabSize, c.hiddenSize}, 'w'}};
    const int64_t H = c.hiddenSize, q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
    const int64_t I = c.intermediateSize;
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        auto proj = [&](const std::string& n, int64_t out, int64_t in, bool bias) {
            ps.push_back({p + n + ".weight", {out, in}, 'w'});
            if (bias)
                ps.push_back({p + n + ".bias", {out}, 'b'});
        };
        if (c.modelType == "phi") {
            proj("self_attn.q_proj", q, H, true);
            proj("self_attn.k_proj", kv, H, true);
            proj("self_attn.v_proj", kv, H, true);
            proj("self_attn.dense", H, q, true);
            proj("mlp.fc1", I, H, true);
            proj("mlp.fc2", H, I, true);
            ps.push_back({p + "input_layernorm.weight", {H}, 'n'});
            ps.push_back({p + "input_layernorm.bias", {H}, 'm'});
        } else {
            proj("self_attn.q_proj", q, H, c.attentionBias);
            proj("self_attn.k_proj", kv, H, c.attentionBias);
            proj("self_attn.v_proj", kv, H, c.attentionBias);
            proj("self_attn.o_proj", H, q, c.outputBias);
            proj("mlp.gate_proj", I, H, c.mlpBias);
            proj("mlp.up_proj", I, H, c.mlpBias);
            proj("mlp.down_proj", H, I, c.mlpBias);
            ps.push_back({p + "input_layernorm.weight", {H}, 'n'});
            ps.push_back({p + "post_attention_layernorm.weight", {H}, 'n'});
        }
    }
    if (c.modelType == "phi") {
        ps.push_back({"model.final_layernorm.weight", {H}, 'n'});
        ps.push_back({"model.final_layernorm.bias", {H}, 'm'});
        ps.push_back({"lm_head.weight", {c.vocabSize, H}, 'w'});
        ps.push_back({"lm_head.bias", {c.vocabSize}, 'b'});
    } else {
        ps.push_back({"model.norm.weight", {H}, 'n'});
        if (!c.tieWordEmbeddings)
            ps.push_back({"lm_head.weight", {c.vocabSize, H}, 'w'});
    }

    // Values are drawn in fp32 (the same stream for every storage dtype), then rounded to it.
    io::DType fileType = io::DType::F32;
    at::ScalarType torchType = at::kFloat;
    if (spec.dtype == "bf16") {
        fileType = io::DType::BF16;
        torchType = at::kBFloat16;
    } else if (spec.dtype == "f16") {
        fileType = io::DType::F16;
        torchType = at::kHalf;
    } else if (spec.dtype != "f32") {
        throw Error("synthetic model: unknown dtype \"" + spec.dtype +
                    "\" (expected f32, bf16 or f16)");
    }
    auto gen = at::detail::createCPUGenerator(spec.seed);
    std::vector<io::TensorSource> sources;
    for (const auto& p : ps) {
        sources.push_back({p.name, fileType, p.shape, [p, gen, torchType]() {
                               at::Tensor t;
                               switch (p.kind) {
                               case 'w':
                                   t = at::normal(0.0, 0.05, p.shape, gen);
                                   break;
                               case 'b':
                                   t = at::normal(0.0, 0.02, p.shape, gen);
                                   break;
                               case 'n':
                                   t = 1.0 + at::normal(0.0, 0.1, p.shape, gen);
                                   break;
                               default:
                                   t = at::normal(0.0, 0.05, p.shape, gen);
                                   break;
                               }
                               t = t.to(torchType).contiguous();
                               return std::string(static_cast<const char*>(t.data_ptr()),
                                                  t.numel() * t.element_size());
                           }});
    }
    io::writeSafetensors(dir + "/model.safetensors", sources, {{"format", "pt"}}, job);
}

} // namespace taskquant::models
