#include "core/models/gguf_names.h"

#include <cctype>
#include <map>

namespace taskquant::models {

std::optional<std::string> ggufArchitecture(const std::string& modelType) {
    if (modelType == "llama" || modelType == "mistral")
        return std::string("llama");
    if (modelType == "phi")
        return std::string("phi2");
    return std::nullopt;
}

std::optional<std::string> ggufTensorName(const std::string& arch, const std::string& hf) {
    std::string base, suffix;
    const std::size_t dot = hf.rfind('.');
    if (dot == std::string::npos)
        return std::nullopt;
    base = hf.substr(0, dot);
    suffix = hf.substr(dot);
    if (suffix != ".weight" && suffix != ".bias")
        return std::nullopt;
    static const std::map<std::string, std::map<std::string, std::string>> top = {
        {"llama",
         {{"model.embed_tokens", "token_embd"},
          {"model.norm", "output_norm"},
          {"lm_head", "output"}}},
        {"phi2",
         {{"model.embed_tokens", "token_embd"},
          {"model.final_layernorm", "output_norm"},
          {"lm_head", "output"}}},
    };
    static const std::map<std::string, std::map<std::string, std::string>> block = {
        {"llama",
         {{"input_layernorm", "attn_norm"},
          {"post_attention_layernorm", "ffn_norm"},
          {"self_attn.q_proj", "attn_q"},
          {"self_attn.k_proj", "attn_k"},
          {"self_attn.v_proj", "attn_v"},
          {"self_attn.o_proj", "attn_output"},
          {"mlp.gate_proj", "ffn_gate"},
          {"mlp.up_proj", "ffn_up"},
          {"mlp.down_proj", "ffn_down"}}},
        {"phi2",
         {{"input_layernorm", "attn_norm"},
          {"self_attn.q_proj", "attn_q"},
          {"self_attn.k_proj", "attn_k"},
          {"self_attn.v_proj", "attn_v"},
          {"self_attn.dense", "attn_output"},
          {"mlp.fc1", "ffn_up"},
          {"mlp.fc2", "ffn_down"}}},
    };
    auto t = top.find(arch);
    if (t == top.end())
        return std::nullopt;
    if (auto it = t->second.find(base); it != t->second.end())
        return it->second + suffix;
    const std::string prefix = "model.layers.";
    if (base.compare(0, prefix.size(), prefix) != 0)
        return std::nullopt;
    std::size_t i = prefix.size(), j = i;
    while (j < base.size() && std::isdigit(static_cast<unsigned char>(base[j])))
        ++j;
    if (j == i || j - i > 6 || j >= base.size() || base[j] != '.')
        return std::nullopt;
    const std::string layer = std::to_string(std::stoi(base.substr(i, j - i)));
    if (layer != base.substr(i, j - i))
        return std::nullopt; // leading zeros
    const auto& m = block.at(arch);
    auto it = m.find(base.substr(j + 1));
    if (it == m.end())
        return std::nullopt;
    return "blk." + layer + "." + it->second + suffix;
}

} // namespace taskquant::models
