// The llama family's naming: llama, mistral and qwen2 checkpoints share it (qwen3 adds q/k norms).
#include "core/models/naming_scheme.h"

namespace taskquant::models {

const NamingScheme& llamaNaming() {
    static const NamingScheme s = [] {
        NamingScheme n;
        n.id = "llama";
        n.architectures = {"llama", "mistral", "qwen2"};
        n.blockContainers = {"layers", "layer", "blocks"};
        n.modules = {{"q_proj", Kind::Q},
                     {"k_proj", Kind::K},
                     {"v_proj", Kind::V},
                     {"o_proj", Kind::O},
                     {"gate_proj", Kind::Gate},
                     {"up_proj", Kind::Up},
                     {"down_proj", Kind::Down},
                     {"input_layernorm", Kind::InputNorm},
                     {"post_attention_layernorm", Kind::PostAttnNorm},
                     {"q_norm", Kind::QNorm},
                     {"k_norm", Kind::KNorm}};
        n.embeddings = {"embed_tokens", "tok_embeddings"};
        n.lmHead = {"lm_head"};
        n.finalNormShallow = {"norm"};
        n.distinctive = {"gate_proj", "up_proj", "down_proj", "post_attention_layernorm", "o_proj"};
        n.columnOrder = {Kind::Q,     Kind::K,         Kind::V,
                         Kind::O,     Kind::Gate,      Kind::Up,
                         Kind::Down,  Kind::InputNorm, Kind::PostAttnNorm,
                         Kind::QNorm, Kind::KNorm};
        n.labels = {{Kind::FinalNorm, "norm"}};
        return n;
    }();
    return s;
}

} // namespace taskquant::models
