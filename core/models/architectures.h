#pragma once
// The registry of model architectures by config.json "model_type". Adding an architecture means
// one new file that defines register<Name>(ArchitectureRegistry&) and one line in
// architectures.cpp. Thread-safe after first use (built once, then read-only).
#include <ATen/ATen.h>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/models/model_config.h"

namespace taskquant::models {

class CausalLM;
using ModelFactory =
    std::function<std::unique_ptr<CausalLM>(const ModelConfig&, at::Device, at::ScalarType)>;

class ArchitectureRegistry {
  public:
    static const ArchitectureRegistry& instance();
    void add(const std::string& modelType, ModelFactory factory);
    // nullptr if unknown.
    const ModelFactory* find(const std::string& modelType) const;
    std::vector<std::string> names() const;

  private:
    std::map<std::string, ModelFactory> factories_;
};

void registerLlamaFamily(ArchitectureRegistry& r);
void registerPhi(ArchitectureRegistry& r);

} // namespace taskquant::models
