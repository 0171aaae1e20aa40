#include "core/eval/frontier_baselines.h"

#include "core/models/gguf_names.h"
#include "core/policy/recipes.h"

namespace taskquant::eval {

std::vector<FrontierPolicy> baselinePolicies(const std::vector<exporting::NamedShape>& tensors,
                                             const models::ModelConfig& config,
                                             const std::vector<quant::Precision>& uniformTypes,
                                             const policy::Policy& base) {
    std::vector<FrontierPolicy> out;
    for (const quant::Precision& t : uniformTypes) {
        FrontierPolicy f;
        f.label = t.name();
        f.kind = "uniform";
        f.signal = "none";
        f.policy = base;
        f.policy.defaultPrecision = t;
        f.policy.overrides.clear();
        f.policy.provenance.method = "uniform";
        out.push_back(std::move(f));
    }
    // llama.cpp's named mixes, each tensor as llama-quantize chooses it (policy/recipes.h); the
    // all-float "mixes" (F16, BF16, F32) are no quantization and stay out. Architectures
    // llama.cpp's mixes do not cover contribute no recipes.
    const auto arch = models::ggufArchitecture(config.modelType);
    if (!arch)
        return out;
    policy::RecipeModel rm;
    rm.arch = *arch;
    rm.layers = config.numLayers;
    rm.heads = config.numHeads;
    rm.kvHeads = config.numKvHeads;
    for (const auto& t : tensors)
        rm.tensors.push_back({t.name, t.shape});
    for (const std::string& name : policy::recipeNames()) {
        if (name == "F16" || name == "BF16" || name == "F32")
            continue;
        FrontierPolicy f;
        f.label = name;
        f.kind = "recipe";
        f.signal = "none";
        f.policy = policy::applyRecipe(name, rm).policy;
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace taskquant::eval
