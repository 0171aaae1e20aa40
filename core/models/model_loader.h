#pragma once
// Loading a Hugging Face model directory (config.json + safetensors) onto a device and dtype.
// Blocking; call from a worker thread. Weights are copied tensor by tensor from the memory-mapped
// files and the mapped pages are released as it goes, so peak resident memory stays near the size
// of the weights in the target dtype.
#include <memory>
#include <string>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::models {

struct LoadOptions {
    std::string device = "cpu"; // cpu, cuda, cuda:N
    std::string dtype = "fp32"; // fp32, bf16, fp16 (and their long names)
};

at::Device parseDevice(const std::string& name);    // throws Error (e.g. CUDA unavailable)
at::ScalarType parseDtype(const std::string& name); // throws Error
std::string dtypeLabel(at::ScalarType t);           // fp32, bf16, fp16

class ModelLoader {
  public:
    // Throws taskquant::Error naming the file and the problem: missing config or weights,
    // unsupported model_type (lists the supported ones), missing / unexpected / misshapen
    // tensors, unsupported dtypes, pickle checkpoints.
    // A tied model (tie_word_embeddings) whose weights store only lm_head.weight reads its
    // embedding, model.embed_tokens.weight, from there.
    static std::unique_ptr<CausalLM> load(const std::string& dir, const LoadOptions& options = {},
                                          const JobControl& job = {});
    // The checks load() makes before reading any data, from config.json and the safetensors
    // headers only: a num_hidden_layers, hidden_size or vocab_size the tensors contradict, then
    // (for a supported model_type) missing, unexpected, misshapen or unsupported-dtype tensors.
    // Throws Error naming config.json or the weights file.
    static void checkWeights(const std::string& dir);
};

inline std::unique_ptr<CausalLM> loadModel(const std::string& dir, const LoadOptions& o = {},
                                           const JobControl& job = {}) {
    return ModelLoader::load(dir, o, job);
}

} // namespace taskquant::models
