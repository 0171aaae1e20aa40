#pragma once
// A causal language model with Hugging Face parameter names, on a chosen device and dtype.
//
// Thread-safety: a CausalLM is used by one thread at a time (autograd state and the observer are
// per model). Parameters are leaf tensors; setRequiresGrad(true) before a backward pass that needs
// weight gradients; ActivationGradScope for one that needs only the gradients of the layers'
// outputs (no weight gradient is ever allocated then).
//
// Storage and compute dtype: a parameter is held in the dtype its file stores it (on the CPU,
// usually a view of the memory-mapped safetensors file: no copy) or in the compute dtype();
// a parameter stored in another floating dtype than dtype() is cast one use at a time
// (computeWeight), so no whole-model copy in the compute dtype ever exists. A WeightSource can
// stand in for any parameter during forward passes (a policy's quantized weights, built one
// tensor at a time: core/export/apply_policy.h).
// Shapes: inputIds [B, T] int64; attentionMask [B, T] (1 = real token, 0 = padding; left or
// right padding), or an undefined tensor for "all real". Positions are counted over the real
// tokens, so a padded sample gives the same logits as the same sample alone.
#include <ATen/ATen.h>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/jobs/progress.h"
#include "core/models/model_config.h"

namespace taskquant::models {

struct NamedParameter {
    std::string name; // Hugging Face name, e.g. model.layers.0.self_attn.q_proj.weight
    at::Tensor tensor;
    bool mapped = false; // a view of the memory-mapped weights file (no copy)
};

// Optional per-call observation of the building blocks, for sensitivity methods that need each
// layer's inputs and outputs (batched Fisher, perturbation). Indices refer to parameters().
class ForwardObserver {
  public:
    virtual ~ForwardObserver() = default;
    // y = x W^T (+ b). bias is -1 when the layer has none.
    virtual void linear(int weight, int bias, const at::Tensor& x, const at::Tensor& y) {}
    // y = W[ids].
    virtual void embedding(int weight, const at::Tensor& ids, const at::Tensor& y) {}
    // y = xhat * w (+ b), xhat the normalised input.
    virtual void norm(int weight, int bias, const at::Tensor& xhat, const at::Tensor& y) {}
};

struct KVCache {
    std::vector<at::Tensor> keys, values; // per layer [B, KV, S, D]
    at::Tensor mask;                      // [B, S] of what the cache holds
    at::Tensor nextPosition;              // [B] next position index per sample
};

class CausalLM {
  public:
    virtual ~CausalLM() = default;
    CausalLM(const CausalLM&) = delete;
    CausalLM& operator=(const CausalLM&) = delete;

    const ModelConfig& config() const { return config_; }
    const std::string& directory() const { return directory_; }
    at::Device device() const { return device_; }
    at::ScalarType dtype() const { return dtype_; }

    const std::vector<NamedParameter>& parameters() const { return params_; }
    int parameterIndex(const std::string& name) const; // -1 if absent
    int64_t parameterCount() const;
    void setRequiresGrad(bool on);
    void zeroGrad();

    // Logits [B, T, V] in the model dtype.
    at::Tensor logits(const at::Tensor& inputIds, const at::Tensor& attentionMask = {});
    // Mean next-token cross-entropy of each sample over its own real tokens (labels shifted as
    // transformers does), fp32 [B]. A sample with fewer than 2 real tokens gives NaN.
    at::Tensor perSampleLoss(const at::Tensor& inputIds, const at::Tensor& attentionMask = {});
    // Per-sample loss from already computed logits.
    static at::Tensor lossFromLogits(const at::Tensor& logits, const at::Tensor& inputIds,
                                     const at::Tensor& attentionMask);

    // Greedy decoding with a KV cache. Stops after maxNewTokens or at any stop id.
    std::vector<int64_t> generate(const std::vector<int64_t>& prompt, int64_t maxNewTokens,
                                  const std::vector<int64_t>& stopIds = {},
                                  const JobControl& job = {});

    // Installs (or, with nullptr, removes) the observer of later forward passes. Prefer
    // ObserverScope, which also removes it when the pass throws.
    void setObserver(ForwardObserver* observer) { observer_ = observer; }
    // Optional rewrite of every linear layer's input, (weight index, x) -> x', applied before
    // the product (and seen by the observer); e.g. activations rounded as llama.cpp's CPU
    // backend rounds them for a quantized matrix (core/eval/gguf_weights.h). Empty: none.
    using LinearInputTransform = std::function<at::Tensor(int weight, const at::Tensor& x)>;
    void setLinearInputTransform(LinearInputTransform t) { linearInput_ = std::move(t); }

    // Replaces parameters during later forward passes: source(index) returns the tensor to use
    // for parameter `index` (any floating dtype, the parameter's shape, on the model's device) or
    // an undefined tensor for the parameter itself. Called once per use, so a source may build
    // its tensor on demand (a scratch buffer freed after the use). Empty: none.
    using WeightSource = std::function<at::Tensor(int index)>;
    void setWeightSource(WeightSource s) {
        weightSource_ = std::move(s);
        if (!weightSource_)
            weightRowsSource_ = {};
    }
    bool hasWeightSource() const { return static_cast<bool>(weightSource_); }
    // With a WeightSource, the rows [first, first + count) of parameter `index` as it stands in
    // (any floating dtype, on the model's device; undefined: the parameter itself). With one, a
    // large 2-D weight is used in blocks of rows (rowBlock) and never as a whole: the embedding
    // looks up only the blocks holding its tokens, lm_head multiplies block by block. Without it
    // the source's whole tensor is used. Cleared with the WeightSource.
    using WeightRowsSource = std::function<at::Tensor(int index, int64_t first, int64_t count)>;
    void setWeightRowsSource(WeightRowsSource s) { weightRowsSource_ = std::move(s); }
    // Rows per block in which parameter `index` is used when it is large (2-D, at least
    // blockedWeightValues values: a large vocabulary's embedding and lm_head), 0 otherwise.
    // Without a WeightSource, a large weight stored in another dtype than dtype() is cast block by
    // block too when no gradient flows through it (the reference pass, evaluations). Defaults:
    // 2^26 values (256 MiB of fp32), blocks of about 2^24 values (64 MiB); setWeightBlocks
    // changes both (tests take the block path on small models). The values do not depend on them
    // (to float rounding of the blocked products).
    void setWeightBlocks(int64_t blockedWeightValues, int64_t weightBlockValues) {
        blockedWeightValues_ = blockedWeightValues;
        weightBlockValues_ = weightBlockValues;
    }
    int64_t rowBlock(int index) const;
    // The tensor a forward pass multiplies with for parameter `index`: the WeightSource's, else
    // the parameter, cast to dtype() when stored in another dtype (a temporary).
    at::Tensor computeWeight(int index) const;
    // Bytes the parameters occupy as stored (mapped file pages included).
    uint64_t storedBytes() const;
    // Streams the mapped weights through resident memory: while on, releasePages(index) hands a
    // mapped parameter's pages back to the kernel (pageOut, core/util/memory.h), to be read from
    // the file again at its next use; its values never change. Callers release a tensor once they
    // are done with it for a while (the error tables after measuring it, a policy's encoder after
    // encoding it). The loader turns it on for a model whose mapped weights take more than half
    // of the memory available (LoadOptions::releasePages). A no-op for copied parameters.
    void setReleasePages(bool on) { releasePages_ = on; }
    bool releasesPages() const { return releasePages_; }
    void releasePages(int index) const;

    // While on (ActivationGradScope), a forward pass under grad mode makes the embedding output a
    // leaf that requires grad, so every later activation has a gradient and no parameter needs
    // requires_grad: backward passes then compute activation gradients only.
    void setActivationGrads(bool on) { activationGrads_ = on; }

    // Lower level: logits for new tokens given (and extending) a cache.
    at::Tensor forward(const at::Tensor& inputIds, const at::Tensor& attentionMask, KVCache* cache);

    // The forward pass in segments, for recomputing part of it (the streamed per-weight Fisher,
    // sensitivity/activation_stats.h): logits(ids) equals
    //     head(layers(embed(ids), segments(ids), 0, numLayers))
    // and layers(layers(h, s, 0, k), s, k, n) equals layers(h, s, 0, n). Without a cache and a
    // mask (every token real). The observer sees each segment's uses as the whole pass would.
    struct Segments {
        at::Tensor positions; // [B, T]
        at::Tensor allowed;   // [B, 1, T, T]
    };
    Segments segments(const at::Tensor& inputIds) const;
    // The embedding output [B, T, H] in the compute dtype (a leaf that requires grad under
    // ActivationGradScope and grad mode, as in forward).
    at::Tensor embed(const at::Tensor& inputIds);
    // Decoder layers [first, end) on hidden [B, T, H].
    at::Tensor layers(const at::Tensor& hidden, const Segments& s, int64_t first, int64_t end);
    // The final norm and lm_head: hidden [B, T, H] -> logits [B, T, V].
    at::Tensor head(const at::Tensor& hidden);

  protected:
    CausalLM(ModelConfig config, at::Device device, at::ScalarType dtype)
        : config_(std::move(config)), device_(device), dtype_(dtype) {}

    struct ParamSpec {
        std::string name;
        std::vector<int64_t> shape;
    };
    // The parameters the architecture expects, in Hugging Face order.
    virtual std::vector<ParamSpec> parameterSpecs() const = 0;
    // Called once parameters are loaded, to bind them to layer structures.
    virtual void bindParameters() = 0;
    // hidden [B, T, H] -> hidden, for layers [first, end); positions [B, T]; allowed
    // [B, 1, T, S]. A cache is only passed with the whole range.
    virtual at::Tensor decoderLayers(at::Tensor hidden, const at::Tensor& positions,
                                     const at::Tensor& allowed, KVCache* cache, int64_t first,
                                     int64_t end) = 0;
    virtual at::Tensor finalNorm(const at::Tensor& hidden) = 0;

    // Helpers for architectures.
    at::Tensor& param(const std::string& name);
    int indexOf(const std::string& name) const;
    at::Tensor linear(const at::Tensor& x, int weight, int bias) const;
    // Rows [first, first + count) of the weight a forward pass uses for parameter `index`, in
    // dtype() (see WeightRowsSource).
    at::Tensor weightRows(int index, int64_t first, int64_t count) const;
    // Whether parameter `index` is used block by block in this use (rowBlock > 0 and a block
    // source exists, or no source and a cast is needed, with no gradient through the weight).
    bool usesBlocks(int index, const at::Tensor& x) const;
    at::Tensor norm(const at::Tensor& xhat, int weight, int bias) const;
    // [T, past + T] bool: query t (at position past + t) may attend to key s (causal, within
    // the sliding window when the model has one).
    at::Tensor causalAllowed(int64_t past, int64_t T) const;

    ModelConfig config_;
    std::string directory_;
    at::Device device_;
    at::ScalarType dtype_;
    std::vector<NamedParameter> params_;
    std::map<std::string, int> index_;
    int embedIndex_ = -1;
    int lmHeadIndex_ = -1; // the embedding when tied
    int lmHeadBiasIndex_ = -1;
    ForwardObserver* observer_ = nullptr;
    LinearInputTransform linearInput_;
    WeightSource weightSource_;
    WeightRowsSource weightRowsSource_;
    int64_t blockedWeightValues_ = int64_t(1) << 26;
    int64_t weightBlockValues_ = int64_t(1) << 24;
    bool activationGrads_ = false;
    bool releasePages_ = false;

    friend class ModelLoader;
};

// Installs an observer on a model for the lifetime of the scope and removes it on exit, also
// when a forward pass throws (an error or a cancel).
class ObserverScope {
  public:
    ObserverScope(CausalLM& model, ForwardObserver& observer) : model_(model) {
        model_.setObserver(&observer);
    }
    ~ObserverScope() { model_.setObserver(nullptr); }
    ObserverScope(const ObserverScope&) = delete;
    ObserverScope& operator=(const ObserverScope&) = delete;

  private:
    CausalLM& model_;
};

// Activation gradients only (setActivationGrads) for the lifetime of the scope, off again on exit.
class ActivationGradScope {
  public:
    explicit ActivationGradScope(CausalLM& model) : model_(model) {
        model_.setActivationGrads(true);
    }
    ~ActivationGradScope() { model_.setActivationGrads(false); }
    ActivationGradScope(const ActivationGradScope&) = delete;
    ActivationGradScope& operator=(const ActivationGradScope&) = delete;

  private:
    CausalLM& model_;
};

// Switches requires_grad on for every parameter for the lifetime of the scope and off again on
// exit, also when the work inside throws (an error or a cancel). With zeroGradsOnExit, the
// parameters' gradients are dropped on exit too.
class RequiresGradScope {
  public:
    explicit RequiresGradScope(CausalLM& model, bool zeroGradsOnExit = false)
        : model_(model), zeroGrads_(zeroGradsOnExit) {
        model_.setRequiresGrad(true);
    }
    ~RequiresGradScope() {
        if (zeroGrads_)
            model_.zeroGrad();
        model_.setRequiresGrad(false);
    }
    RequiresGradScope(const RequiresGradScope&) = delete;
    RequiresGradScope& operator=(const RequiresGradScope&) = delete;

  private:
    CausalLM& model_;
    bool zeroGrads_;
};

} // namespace taskquant::models
