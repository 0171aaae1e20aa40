#include "core/models/architectures.h"

namespace taskquant::models {

const ArchitectureRegistry& ArchitectureRegistry::instance() {
    static const ArchitectureRegistry registry = [] {
        ArchitectureRegistry r;
        registerLlamaFamily(r);
        registerPhi(r);
        return r;
    }();
    return registry;
}

void ArchitectureRegistry::add(const std::string& modelType, ModelFactory factory) {
    factories_[modelType] = std::move(factory);
}

const ModelFactory* ArchitectureRegistry::find(const std::string& modelType) const {
    auto it = factories_.find(modelType);
    return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> ArchitectureRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, f] : factories_)
        out.push_back(name);
    return out;
}

} // namespace taskquant::models
