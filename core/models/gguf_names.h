#pragma once
// llama.cpp's GGUF architecture names and tensor names for Hugging Face checkpoints, as
// gguf-py's constants (MODEL_ARCH_NAMES, TENSOR_NAMES) and tensor_mapping.py define them:
//   llama (LlamaForCausalLM, MistralForCausalLM):
//     model.embed_tokens -> token_embd, model.norm -> output_norm, lm_head -> output,
//     model.layers.N.{input_layernorm, post_attention_layernorm} -> blk.N.{attn_norm, ffn_norm},
//     self_attn.{q,k,v,o}_proj -> blk.N.attn_{q,k,v,output},
//     mlp.{gate,up,down}_proj -> blk.N.ffn_{gate,up,down}
//   phi2 (PhiForCausalLM):
//     model.embed_tokens -> token_embd, model.final_layernorm -> output_norm, lm_head -> output,
//     model.layers.N.input_layernorm -> blk.N.attn_norm,
//     self_attn.{q,k,v}_proj -> blk.N.attn_{q,k,v}, self_attn.dense -> blk.N.attn_output,
//     mlp.fc1 -> blk.N.ffn_up, mlp.fc2 -> blk.N.ffn_down
// The ".weight" / ".bias" suffix is kept. Pure functions, thread-safe.
#include <optional>
#include <string>

namespace taskquant::models {

// "llama" for model_type llama / mistral, "phi2" for phi; nullopt otherwise.
std::optional<std::string> ggufArchitecture(const std::string& modelType);
// The GGUF name of a Hugging Face tensor, or nullopt when the architecture has none for it.
std::optional<std::string> ggufTensorName(const std::string& arch, const std::string& hfName);

} // namespace taskquant::models
