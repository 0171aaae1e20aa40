#pragma once
// One model family's parameter naming, as the taxonomy (taxonomy.h) reads it: which module
// names mean which kind, which names vote for the family, the heatmap's column order and what
// the family calls each kind.
//
// Adding a family's naming is one file: naming_<family>.cpp defines `const NamingScheme&
// <family>Naming()` (a function-local static, so there is no static-initialisation order to
// worry about), plus its declaration below and one line in taxonomy.cpp's namingSchemes().
// The model code of an architecture registers separately (architectures.h).
// Plain data, immutable after construction; thread-safe to read.
#include <string>
#include <utility>
#include <vector>

#include "core/models/taxonomy.h"

namespace taskquant::models {

struct NamingScheme {
    // Stable identifier: schemeName(), and what Scheme::byId() takes ("llama").
    std::string id;
    // config.json model_type values and architecture class names, lower case and without the
    // "ForCausalLM" suffix ("llama", "mistral", "qwen2"; "gpt2lmhead").
    std::vector<std::string> architectures;
    // Path components that hold the numbered blocks ("layers" in model.layers.3.mlp).
    std::vector<std::string> blockContainers;
    // Module name inside a block -> kind, whatever its parent ("q_proj" -> Q).
    std::vector<std::pair<std::string, Kind>> modules;
    // Module names whose kind depends on the parent module: parent "attention" matches any
    // parent whose name contains "attn" or "attention", any other parent matches exactly
    // (gpt2: c_proj under attn is O, under mlp Fc2).
    struct Contextual {
        std::string module, parent;
        Kind kind;
    };
    std::vector<Contextual> contextual;
    // Names outside the blocks, by their last module component: token and position
    // embeddings, output head, final norm. finalNormShallow only counts at depth <= 2
    // ("model.norm", but not "model.vision.norm").
    std::vector<std::string> embeddings, positionEmbeddings, lmHead, finalNorm, finalNormShallow;
    // Path components that vote for this family in detectScheme() (one vote per name).
    std::vector<std::string> distinctive;
    // Heatmap column order of the kinds inside blocks.
    std::vector<Kind> columnOrder;
    // What the family calls a kind where it differs from kindId() (phi O -> "dense").
    std::vector<std::pair<Kind, std::string>> labels;
};

// Every registered family, in detection priority order (ties in detectScheme go to the
// earlier one).
const std::vector<const NamingScheme*>& namingSchemes();

// The registered families (naming_<family>.cpp).
const NamingScheme& llamaNaming(); // llama, mistral, qwen2
const NamingScheme& phiNaming();   // phi (Phi-2)
const NamingScheme& gpt2Naming();  // gpt2

} // namespace taskquant::models
