// Phi-2's naming (PhiForCausalLM): separate q/k/v, self_attn.dense, mlp.fc1/fc2, one norm per
// block.
#include "core/models/naming_scheme.h"

namespace taskquant::models {

const NamingScheme& phiNaming() {
    static const NamingScheme s = [] {
        NamingScheme n;
        n.id = "phi";
        n.architectures = {"phi"};
        n.blockContainers = {"layers"};
        n.modules = {{"q_proj", Kind::Q},
                     {"k_proj", Kind::K},
                     {"v_proj", Kind::V},
                     {"qkv_proj", Kind::Qkv}, // phi3's fused projection
                     {"fc1", Kind::Fc1},
                     {"fc2", Kind::Fc2},
                     {"input_layernorm", Kind::InputNorm},
                     {"q_layernorm", Kind::QNorm},
                     {"k_layernorm", Kind::KNorm}};
        n.contextual = {{"dense", "attention", Kind::O}};
        n.embeddings = {"embed_tokens"};
        n.lmHead = {"lm_head"};
        n.finalNorm = {"final_layernorm"};
        n.distinctive = {"fc1", "fc2", "final_layernorm", "dense"};
        // Columns appear only for kinds a map has: Qkv only for phi3-style checkpoints.
        n.columnOrder = {Kind::Q,   Kind::K,   Kind::V,         Kind::Qkv,   Kind::O,
                         Kind::Fc1, Kind::Fc2, Kind::InputNorm, Kind::QNorm, Kind::KNorm};
        n.labels = {{Kind::O, "dense"},
                    {Kind::FinalNorm, "final_layernorm"},
                    {Kind::QNorm, "q_layernorm"},
                    {Kind::KNorm, "k_layernorm"}};
        return n;
    }();
    return s;
}

} // namespace taskquant::models
