// Phi-2 (model_type "phi"): one LayerNorm feeding attention and MLP in parallel, partial rotary
// embedding, gelu_new MLP (fc1/fc2), biases everywhere, final_layernorm and a biased lm_head.
#include <ATen/ATen.h>

#include "core/models/architectures.h"
#include "core/models/causal_lm.h"
#include "core/models/layers.h"

namespace taskquant::models {
namespace {

class PhiModel : public CausalLM {
  public:
    PhiModel(ModelConfig c, at::Device d, at::ScalarType t) : CausalLM(std::move(c), d, t) {}

  protected:
    std::vector<ParamSpec> parameterSpecs() const override {
        const auto& c = config_;
        const int64_t H = c.hiddenSize, q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim;
        const int64_t I = c.intermediateSize;
        std::vector<ParamSpec> s{{"model.embed_tokens.weight", {c.vocabSize, H}}};
        for (int64_t l = 0; l < c.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            auto withBias = [&](const std::string& n, std::vector<int64_t> shape) {
                s.push_back({p + n + ".weight", shape});
                s.push_back({p + n + ".bias", {shape.front()}});
            };
            withBias("self_attn.q_proj", {q, H});
            withBias("self_attn.k_proj", {kv, H});
            withBias("self_attn.v_proj", {kv, H});
            withBias("self_attn.dense", {H, q});
            withBias("mlp.fc1", {I, H});
            withBias("mlp.fc2", {H, I});
            withBias("input_layernorm", {H});
        }
        s.push_back({"model.final_layernorm.weight", {H}});
        s.push_back({"model.final_layernorm.bias", {H}});
        if (!c.tieWordEmbeddings) {
            s.push_back({"lm_head.weight", {c.vocabSize, H}});
            s.push_back({"lm_head.bias", {c.vocabSize}});
        }
        return s;
    }

    void bindParameters() override {
        layers_.clear();
        auto pair = [&](const std::string& n) {
            return Proj{indexOf(n + ".weight"), indexOf(n + ".bias")};
        };
        for (int64_t l = 0; l < config_.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            layers_.push_back({pair(p + "self_attn.q_proj"), pair(p + "self_attn.k_proj"),
                               pair(p + "self_attn.v_proj"), pair(p + "self_attn.dense"),
                               pair(p + "mlp.fc1"), pair(p + "mlp.fc2"),
                               pair(p + "input_layernorm")});
        }
        final_ = pair("model.final_layernorm");
        invFreq_ = rotaryInverseFrequencies(config_, config_.rotaryDim()).to(device_);
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
            auto x = norm(layerNormalize(h, c.normEps), L.norm.w, L.norm.b);
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
            auto attn = linear(attention(q, k, v, allowed), L.dense.w, L.dense.b);
            auto ff =
                linear(activation(c.hiddenAct, linear(x, L.fc1.w, L.fc1.b)), L.fc2.w, L.fc2.b);
            h = attn + ff + h;
        }
        return h;
    }

    at::Tensor finalNorm(const at::Tensor& h) override {
        return norm(layerNormalize(h, config_.normEps), final_.w, final_.b);
    }

  private:
    struct Proj {
        int w = -1, b = -1;
    };
    struct Layer {
        Proj q, k, v, dense, fc1, fc2, norm;
    };
    std::vector<Layer> layers_;
    Proj final_;
    at::Tensor invFreq_;
};

std::unique_ptr<CausalLM> makePhi(const ModelConfig& c, at::Device d, at::ScalarType t) {
    return std::unique_ptr<CausalLM>(new PhiModel(c, d, t));
}

} // namespace

void registerPhi(ArchitectureRegistry& r) {
    r.add("phi", makePhi);
}

} // namespace taskquant::models
