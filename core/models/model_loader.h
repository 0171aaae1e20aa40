#pragma once
// Loading a Hugging Face model directory (config.json + safetensors) onto a device and dtype.
// Blocking; call from a worker thread. On the CPU, a tensor stored in the compute dtype or in a
// narrower floating dtype (bf16/f16 computed in fp32) is not copied: the parameter is a view of
// the copy-on-write memory mapping, its pages read when first used, and a narrower one is cast
// one use at a time (CausalLM::computeWeight). Others (an fp32 file computed in bf16, another
// device, an unaligned tensor) are copied tensor by tensor and the mapped pages released as it
// goes. So resident memory stays near the file's size (or the converted weights' size), never a
// second whole-model copy.
#include <memory>
#include <string>

#include "core/jobs/progress.h"
#include "core/models/causal_lm.h"

namespace taskquant::models {

struct LoadOptions {
    std::string device = "cpu"; // cpu, cuda, cuda:N
    std::string dtype = "fp32"; // fp32, bf16, fp16 (and their long names): the compute dtype
    // The command's own memory beyond the weights (activations, tables), counted by the fit
    // check that load() makes before reading any weight.
    uint64_t workBytes = 0;
    // Or (added to workBytes) the activations of forward passes over `workBatch` x
    // `workTokens` tokens (forwardWorkBytes), with a backward pass when workBackward.
    int64_t workBatch = 0, workTokens = 0;
    bool workBackward = false;
    // The backward pass goes layer by layer where the model releases its pages (the streamed
    // per-weight Fisher, sensitivity::elementFisherStreamed): one layer's activations are
    // counted then, not the whole graph's.
    bool workBackwardByLayer = false;
    // Or (added too) hidden states kept at every layer boundary for this many tokens
    // (boundaryStateBytes: the streamed per-weight Fisher's states and gradients).
    int64_t workBoundaryTokens = 0;
    // The command's options that lower its work memory, for the "does not fit" message (empty:
    // "fewer --chunks, a shorter --ctx or a smaller --batch-size").
    std::string workHint = {};
    // Hold every tensor in the compute dtype (copies; the mapped pages dropped as it goes), for
    // callers that read the parameters' raw fp32 data themselves (the error tables).
    bool convert = false;
    // CausalLM::setReleasePages: 1 on, 0 off, -1 automatic (on when the mapped weights take more
    // than half of the memory available at load).
    int releasePages = -1;
};

// A rough upper bound of the activation bytes one forward pass (and, with backward, the
// tensors autograd keeps for it) needs over batch x tokens tokens in fp32: logits and their
// fp32 copies, per layer the block activations and the attention scores.
// activationBytes: the compute dtype's element size (the blocks' activations; logits stay fp32).
uint64_t forwardWorkBytes(const ModelConfig& config, int64_t batch, int64_t tokens, bool backward,
                          int64_t activationBytes = 4);

// The bytes of the hidden states at every layer boundary (the embedding output, each layer's
// output) for `tokens` tokens: (layers + 1) x tokens x hidden values of elementBytes each.
uint64_t boundaryStateBytes(const ModelConfig& config, int64_t tokens, int64_t elementBytes);

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
    // A model that cannot fit (weights as held + one tensor's cast + options.workBytes > the
    // available memory, core/util/memory.h) throws "DIR: does not fit: ..." naming what it needs
    // and what is available, with the --dtype / work-size options that would need less.
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
