// GPT-2's naming: transformer.h.N.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj},
// wte/wpe embeddings, ln_f. Other GPT-style families' common outer names live here too.
#include "core/models/naming_scheme.h"

namespace taskquant::models {

const NamingScheme& gpt2Naming() {
    static const NamingScheme s = [] {
        NamingScheme n;
        n.id = "gpt2";
        n.architectures = {"gpt2", "gpt2lmhead", "gpt2lmheadmodel"};
        n.blockContainers = {"h"};
        n.modules = {{"c_attn", Kind::Qkv},
                     {"c_fc", Kind::Fc1},
                     {"ln_1", Kind::InputNorm},
                     {"ln_2", Kind::PostAttnNorm}};
        n.contextual = {{"c_proj", "attention", Kind::O}, {"c_proj", "mlp", Kind::Fc2}};
        n.embeddings = {"wte", "word_embeddings"};
        n.positionEmbeddings = {"wpe", "embed_positions"};
        n.lmHead = {"embed_out"};
        n.finalNorm = {"ln_f", "final_layer_norm"};
        n.distinctive = {"c_attn", "c_fc", "wte", "ln_1", "ln_f"};
        n.columnOrder = {Kind::Qkv, Kind::O,         Kind::Fc1,
                         Kind::Fc2, Kind::InputNorm, Kind::PostAttnNorm};
        n.labels = {
            {Kind::Qkv, "attn.c_attn"}, {Kind::O, "attn.c_proj"},  {Kind::Fc1, "mlp.c_fc"},
            {Kind::Fc2, "mlp.c_proj"},  {Kind::InputNorm, "ln_1"}, {Kind::PostAttnNorm, "ln_2"},
            {Kind::Embed, "wte"},       {Kind::PosEmbed, "wpe"},   {Kind::FinalNorm, "ln_f"}};
        return n;
    }();
    return s;
}

} // namespace taskquant::models
