// The Llama family: Llama 2/3 (incl. llama3 rope scaling, GQA, tied embeddings), Mistral
// (sliding window) and Qwen2 (q/k/v biases). Pre-norm RMSNorm blocks, SwiGLU MLP.
#include <ATen/ATen.h>

#include "core/models/architectures.h"
#include "core/models/causal_lm.h"
#include "core/models/layers.h"

namespace taskquant::models {
namespace {

class LlamaModel : public CausalLM {
  public:
    LlamaModel(ModelConfig c, at::Device d, at::ScalarType t) : CausalLM(std::move(c), d, t) {}

  protected:
    std::vector<ParamSpec> parameterSpecs() const override {
        const auto& c = config_;
        const int64_t H = c.hiddenSize, q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
        const int64_t I = c.intermediateSize;
        std::vector<ParamSpec> s{{"model.embed_tokens.weight", {c.vocabSize, H}}};
        for (int64_t l = 0; l < c.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            auto proj = [&](const std::string& n, int64_t out, int64_t in, bool bias) {
                s.push_back({p + n + ".weight", {out, in}});
                if (bias)
                    s.push_back({p + n + ".bias", {out}});
            };
            proj("self_attn.q_proj", q, H, c.attentionBias);
            proj("self_attn.k_proj", kv, H, c.attentionBias);
            proj("self_attn.v_proj", kv, H, c.attentionBias);
            proj("self_attn.o_proj", H, q, c.outputBias);
            proj("mlp.gate_proj", I, H, c.mlpBias);
            proj("mlp.up_proj", I, H, c.mlpBias);
            proj("mlp.down_proj", H, I, c.mlpBias);
            s.push_back({p + "input_layernorm.weight", {H}});
            s.push_back({p + "post_attention_layernorm.weight", {H}});
        }
        s.push_back({"model.norm.weight", {H}});
        if (!c.tieWordEmbeddings)
            s.push_back({"lm_head.weight", {c.vocabSize, H}});
        return s;
    }

    void bindParameters() override {
        layers_.clear();
        for (int64_t l = 0; l < config_.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            Layer L;
            L.q = {indexOf(p + "self_attn.q_proj.weight"), indexOf(p + "self_attn.q_proj.bias")};
            L.k = {indexOf(p + "self_attn.k_proj.weight"), indexOf(p + "self_attn.k_proj.bias")};
            L.v = {indexOf(p + "self_attn.v_proj.weight"), indexOf(p + "self_attn.v_proj.bias")};
            L.o = {indexOf(p + "self_attn.o_proj.weight"), indexOf(p + "self_attn.o_proj.bias")};
            L.gate = {indexOf(p + "mlp.gate_proj.weight"), indexOf(p + "mlp.gate_proj.bias")};
            L.up = {indexOf(p + "mlp.up_proj.weight"), indexOf(p + "mlp.up_proj.bias")};
            L.down = {indexOf(p + "mlp.down_proj.weight"), indexOf(p + "mlp.down_proj.bias")};
            L.inNorm = indexOf(p + "input_layernorm.weight");
            L.postNorm = indexOf(p + "post_attention_layernorm.weight");
            layers_.push_back(L);
        }
        finalNorm_ = indexOf("model.norm.weight");
        invFreq_ = rotaryInverseFrequencies(config_, config_.headDim).to(device_);
    }

    at::Tensor decoderLayers(at::Tensor h, const at::Tensor& positions, const at::Tensor& allowed,
                             KVCache* cache, int64_t first, int64_t end) override {
        const auto& c = config_;
        const int64_t B = h.size(0), T = h.size(1);
        auto [cos, sin] = rotaryTables(invFreq_, positions, dtype_);
        if (cache && cache->keys.empty()) {
            cache->keys.resize(c.numLayers);
            cache->values.resize(c.numLayers);
        }
        for (int64_t l = first; l < end; ++l) {
            const Layer& L = layers_[l];
            auto x = norm(rmsNormalize(h, c.normEps), L.inNorm, -1);
            auto q = linear(x, L.q.w, L.q.b).view({B, T, c.numHeads, c.headDim}).transpose(1, 2);
            auto k = linear(x, L.k.w, L.k.b).view({B, T, c.numKvHeads, c.headDim}).transpose(1, 2);
            auto v = linear(x, L.v.w, L.v.b).view({B, T, c.numKvHeads, c.headDim}).transpose(1, 2);
            q = applyRotary(q, cos, sin);
            k = applyRotary(k, cos, sin);
            if (cache) {
                if (cache->keys[l].defined()) {
                    k = at::cat({cache->keys[l], k}, 2);
                    v = at::cat({cache->values[l], v}, 2);
                }
                cache->keys[l] = k;
                cache->values[l] = v;
            }
            h = h + linear(attention(q, k, v, allowed), L.o.w, L.o.b);
            x = norm(rmsNormalize(h, c.normEps), L.postNorm, -1);
            auto g = activation(c.hiddenAct, linear(x, L.gate.w, L.gate.b));
            h = h + linear(g * linear(x, L.up.w, L.up.b), L.down.w, L.down.b);
        }
        return h;
    }

    at::Tensor finalNorm(const at::Tensor& h) override {
        return norm(rmsNormalize(h, config_.normEps), finalNorm_, -1);
    }

  private:
    struct Proj {
        int w = -1, b = -1;
    };
    struct Layer {
        Proj q, k, v, o, gate, up, down;
        int inNorm = -1, postNorm = -1;
    };
    std::vector<Layer> layers_;
    int finalNorm_ = -1;
    at::Tensor invFreq_;
};

std::unique_ptr<CausalLM> makeLlama(const ModelConfig& c, at::Device d, at::ScalarType t) {
    return std::unique_ptr<CausalLM>(new LlamaModel(c, d, t));
}

} // namespace

void registerLlamaFamily(ArchitectureRegistry& r) {
    r.add("llama", makeLlama);
    r.add("mistral", makeLlama);
    r.add("qwen2", makeLlama);
}

} // namespace taskquant::models
