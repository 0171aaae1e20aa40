#include "core/eval/frontier_baselines.h"

namespace taskquant::eval {

std::vector<FrontierPolicy> baselinePolicies(const std::vector<quant::NamedShape>& tensors,
                                             const models::ModelConfig& config,
                                             const std::vector<quant::Precision>& uniformTypes,
                                             const policy::Policy& base) {
    (void)tensors;
    (void)config;
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
    // Recipes (kind "recipe") go here once core/policy/recipes.h is merged, e.g.
    //   for (const std::string& name : policy::recipeNames())
    //       out.push_back({name, "recipe", "none", 0, policy::recipePolicy(name, tensors, config)});
    return out;
}

} // namespace taskquant::eval
