#pragma once
// Module taxonomy: where a Hugging Face parameter name sits in a decoder-only transformer.
// classify() maps a name to a place (embeddings, a numbered layer, the final norm, lm_head or
// "other") and a module kind (q, k, v, o/dense, gate, up, down, fc1, fc2, norms, ...) by the
// naming of every registered family (naming_scheme.h: llama/mistral/qwen2, phi, gpt2; a new
// family is one file there). Unknown names are never dropped: they become kind Other (inside
// their layer when a layer index is recognisable).
// Biases (and any non-"weight" parameter of a known module) land in the same place and kind
// as their weight, with isBias set.
// Pure functions on strings; thread-safe (the lookup tables are immutable function-local
// statics); they allocate temporaries (the split name) as well as the returned values.
#include <string>
#include <vector>

namespace taskquant::models {

struct NamingScheme;

// Naming scheme of a checkpoint: one registered family (naming_scheme.h), or unknown. A small
// value (a pointer to the family's immutable description); "llama" covers llama, mistral and
// qwen2 (same names).
class Scheme {
  public:
    constexpr Scheme() = default; // unknown
    explicit constexpr Scheme(const NamingScheme* info) : info_(info) {}
    // The registered family with this id ("llama", "phi", "gpt2"); unknown when none has it.
    static Scheme byId(const std::string& id);
    static const Scheme Unknown;

    bool known() const { return info_ != nullptr; }
    const NamingScheme* info() const { return info_; } // nullptr when unknown
    friend bool operator==(Scheme a, Scheme b) { return a.info_ == b.info_; }
    friend bool operator!=(Scheme a, Scheme b) { return a.info_ != b.info_; }

  private:
    const NamingScheme* info_ = nullptr;
};

enum class Place { Embeddings, Layer, FinalNorm, LmHead, Other };

enum class Kind {
    Q,
    K,
    V,
    Qkv, // fused query/key/value (gpt2 attn.c_attn, phi3 qkv_proj)
    O,   // attention output: o_proj, phi self_attn.dense, gpt2 attn.c_proj
    Gate,
    Up,
    Down,
    Fc1,          // phi mlp.fc1, gpt2 mlp.c_fc
    Fc2,          // phi mlp.fc2, gpt2 mlp.c_proj
    InputNorm,    // input_layernorm, gpt2 ln_1
    PostAttnNorm, // post_attention_layernorm, gpt2 ln_2
    QNorm,
    KNorm,     // per-head q/k norms (qwen3 q_norm, phi q_layernorm)
    Embed,     // token embeddings: embed_tokens, wte
    PosEmbed,  // learned positions: gpt2 wpe
    FinalNorm, // model.norm, model.final_layernorm, transformer.ln_f
    LmHead,
    Other
};

struct TensorClass {
    Place place = Place::Other;
    int layer = -1; // 0-based block index when place == Layer, else -1
    Kind kind = Kind::Other;
    bool isBias = false; // not the module's "weight" (a bias, or another parameter of it)

    // A linear projection inside a transformer block (Q..Fc2); lm_head is not included.
    bool isLinear() const;
    bool isNorm() const; // InputNorm, PostAttnNorm, QNorm, KNorm, FinalNorm
    // The weight matrix of a block linear layer: what policies quantize by default.
    bool isQuantizableWeight() const { return isLinear() && !isBias; }
};

// Layer indices above this are not believed (they would make a grid of absurd height) and
// the name is classified as Place::Other.
constexpr int kMaxLayerIndex = 65535;

TensorClass classify(const std::string& name);

// The scheme most names follow (votes by distinctive module names); Unknown if none.
Scheme detectScheme(const std::vector<std::string>& names);
// From a config model_type or architecture class ("llama", "mistral", "qwen2", "phi",
// "gpt2", "LlamaForCausalLM", ...), case-insensitive. Unknown for anything else.
Scheme schemeFromArchitecture(const std::string& architecture);
// architecture when it names a scheme, otherwise detected from the names.
Scheme resolveScheme(const std::string& architecture, const std::vector<std::string>& names);
std::string schemeName(Scheme s); // the family's id ("llama", "phi", "gpt2"), or "unknown"

// Canonical heatmap column order of the kinds found inside blocks: attention, then MLP, then
// norms, as the family lists it. Unknown gives the union of all families in Kind order. Other
// is not included (it always comes last).
const std::vector<Kind>& layerColumnOrder(Scheme s);

// Stable identifier, the same for every scheme: "q_proj", "k_proj", "v_proj", "qkv_proj",
// "o_proj", "gate_proj", "up_proj", "down_proj", "fc1", "fc2", "input_layernorm",
// "post_attention_layernorm", "q_norm", "k_norm", "embed_tokens", "embed_positions",
// "final_norm", "lm_head", "other". kindFromId() is its inverse (throws Error when unknown).
std::string kindId(Kind k);
Kind kindFromId(const std::string& id);
// What the scheme calls it, for column headers: phi O is "dense", gpt2 Qkv is "c_attn", ...
std::string kindLabel(Kind k, Scheme s);
std::string placeId(Place p); // "embeddings", "layer", "final_norm", "lm_head", "other"

} // namespace taskquant::models
