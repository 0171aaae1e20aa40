#include "core/policy/recipes.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/io/safetensors.h"
#include "core/models/gguf_names.h"
#include "core/models/model_config.h"
#include "core/quant/fallback.h"
#include "core/util/error.h"

namespace taskquant::policy {

using quant::Precision;

namespace {

// llama.h's LLAMA_FTYPE_* ids.
enum FType : uint32_t {
    ALL_F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q8_0 = 7,
    Q5_0 = 8,
    Q5_1 = 9,
    Q2_K = 10,
    Q3_K_S = 11,
    Q3_K_M = 12,
    Q3_K_L = 13,
    Q4_K_S = 14,
    Q4_K_M = 15,
    Q5_K_S = 16,
    Q5_K_M = 17,
    Q6_K = 18,
    IQ4_NL = 25,
    IQ4_XS = 30,
    BF16 = 32,
};

struct MixDef {
    const char* name;
    uint32_t ftype;
    const char* base;
};

// llama-quantize's QUANT_OPTIONS order (the types this build can write).
const MixDef kMixes[] = {
    {"Q4_0", Q4_0, "q4_0"},     {"Q4_1", Q4_1, "q4_1"},       {"Q5_0", Q5_0, "q5_0"},
    {"Q5_1", Q5_1, "q5_1"},     {"IQ4_NL", IQ4_NL, "iq4_nl"}, {"IQ4_XS", IQ4_XS, "iq4_xs"},
    {"Q2_K", Q2_K, "q2_k"},     {"Q3_K_S", Q3_K_S, "q3_k"},   {"Q3_K_M", Q3_K_M, "q3_k"},
    {"Q3_K_L", Q3_K_L, "q3_k"}, {"Q4_K_S", Q4_K_S, "q4_k"},   {"Q4_K_M", Q4_K_M, "q4_k"},
    {"Q5_K_S", Q5_K_S, "q5_k"}, {"Q5_K_M", Q5_K_M, "q5_k"},   {"Q6_K", Q6_K, "q6_k"},
    {"Q8_0", Q8_0, "q8_0"},     {"F16", F16, "f16"},          {"BF16", BF16, "bf16"},
    {"F32", ALL_F32, "f32"},
};

const std::pair<const char*, const char*> kAliases[] = {
    {"Q3_K", "Q3_K_M"}, {"Q4_K", "Q4_K_M"}, {"Q5_K", "Q5_K_M"}};

std::string upper(std::string s) {
    for (char& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

bool contains(const std::string& s, const char* part) {
    return s.find(part) != std::string::npos;
}
bool endsWith(const std::string& s, const std::string& e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

// ggml_n_dims: the number of dimensions up to the last one (in ggml's reversed order) above 1.
int ggmlDims(const std::vector<int64_t>& shape) {
    int n = 1;
    for (std::size_t i = 0; i < shape.size(); ++i) // shape[size-1-i] is ggml's ne[i]
        if (shape[shape.size() - 1 - i] > 1)
            n = int(i) + 1;
    return n;
}

// llama_model_loader's weight_name_comparer: by block number (-1 outside blocks), then name.
int blockOf(const std::string& gguf) {
    if (gguf.compare(0, 4, "blk.") != 0)
        return -1;
    std::size_t i = 4;
    int v = 0;
    bool any = false;
    while (i < gguf.size() && std::isdigit(static_cast<unsigned char>(gguf[i])) && v < 100000000)
        v = v * 10 + (gguf[i++] - '0'), any = true;
    return any && i < gguf.size() && gguf[i] == '.' ? v : -1;
}

bool useMoreBits(int i, int n) {
    return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

struct State {
    uint32_t ftype;
    int64_t nGqa;
    bool is70B;
    bool hasOutput;
    bool imatrix;
    int nAttnV = 0, iAttnV = 0;
    int nLayer = 0, iFfnDown = 0;
};

// llama_tensor_get_type's choice for a quantized mix, before the shape fallback.
Precision mixType(State& s, const std::string& name, const std::vector<int64_t>& shape,
                  Precision t) {
    auto P = [](const char* n) { return Precision::parse(n); };
    const uint32_t ft = s.ftype;
    if (name == "output.weight" || (!s.hasOutput && name == "token_embd.weight")) {
        const int64_t nx = shape.empty() ? 1 : shape.back();
        if (nx % t.ggufBlock().weights != 0)
            return P("q8_0");
        return t == P("q8_0") ? t : P("q6_k");
    }
    if (name == "token_embd.weight" || name == "per_layer_token_embd.weight")
        return t; // no rule for the types this build writes
    if (contains(name, "attn_v.weight")) {
        if (ft == Q2_K)
            t = s.nGqa >= 4 ? P("q4_k") : P("q3_k");
        else if (ft == Q3_K_M)
            t = s.iAttnV < 2 ? P("q5_k") : P("q4_k");
        else if (ft == Q3_K_L)
            t = P("q5_k");
        else if ((ft == IQ4_NL || ft == IQ4_XS) && s.nGqa >= 4)
            t = P("q5_k");
        else if ((ft == Q4_K_M || ft == Q5_K_M) && useMoreBits(s.iAttnV, s.nAttnV))
            t = P("q6_k");
        else if (ft == Q4_K_S && s.iAttnV < 4)
            t = P("q5_k");
        if (s.is70B && (t == P("q3_k") || t == P("q4_k")))
            t = P("q5_k");
        ++s.iAttnV;
        return t;
    }
    if (contains(name, "attn_k.weight") || contains(name, "attn_q.weight"))
        return t; // rules only for IQ3 mixes and experts
    if (contains(name, "ffn_down")) {
        const int i = s.iFfnDown, n = s.nLayer;
        if (ft == Q2_K)
            t = P("q3_k");
        else if (ft == Q3_K_M)
            t = i < n / 16 ? P("q5_k") : P("q4_k"); // (Falcon only: q3_k off use_more_bits)
        else if (ft == Q3_K_L)
            t = P("q5_k");
        else if (ft == Q4_K_M) {
            if (useMoreBits(i, n))
                t = P("q6_k");
        } else if (i < n / 8 && (ft == IQ4_NL || ft == IQ4_XS) && !s.imatrix)
            t = P("q5_k");
        else if (ft == Q5_K_M && useMoreBits(i, n))
            t = P("q6_k");
        else if (ft == Q4_K_S && i < n / 8)
            t = P("q5_k");
        else if ((ft == Q4_0 || ft == Q5_0) && s.imatrix && i < n / 8)
            t = ft == Q4_0 ? P("q4_1") : P("q5_1");
        ++s.iFfnDown;
        return t;
    }
    if (contains(name, "attn_output.weight")) {
        if (ft == Q2_K)
            t = P("q3_k");
        else if (ft == Q3_K_M)
            t = P("q4_k");
        else if (ft == Q3_K_L)
            t = P("q5_k");
        return t;
    }
    if (contains(name, "attn_qkv.weight")) {
        if (ft == Q3_K_M || ft == Q3_K_L)
            t = P("q4_k");
        else if (ft == Q4_K_M)
            t = P("q5_k");
        else if (ft == Q5_K_M)
            t = P("q6_k");
        return t;
    }
    return t; // ffn_gate / ffn_up: rules only for IQ3_XS
}

// tensor_allows_quantization for the tensors of the architectures exported here.
bool quantizable(const std::string& gguf, const std::vector<int64_t>& shape) {
    if (ggmlDims(shape) < 2)
        return false;
    if (!endsWith(gguf, "weight") || contains(gguf, "_norm.weight"))
        return false;
    for (const char* no :
         {"ffn_gate_inp.weight", "position_embd", "token_types", "ssm_conv1d", "attn_rel_b.weight"})
        if (contains(gguf, no))
            return false;
    return true;
}

} // namespace

const std::vector<std::string>& recipeNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& m : kMixes)
            v.emplace_back(m.name);
        return v;
    }();
    return names;
}

std::optional<RecipeInfo> findRecipe(const std::string& name) {
    std::string n = upper(name);
    for (const auto& [alias, target] : kAliases)
        if (n == alias)
            n = target;
    for (const auto& m : kMixes)
        if (n == m.name)
            return RecipeInfo{m.name, m.ftype, Precision::parse(m.base)};
    return std::nullopt;
}

RecipeInfo recipe(const std::string& name) {
    if (auto r = findRecipe(name))
        return *r;
    std::string known;
    for (const auto& n : recipeNames())
        known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown llama.cpp type or mix '" + name + "' (expected one of " + known +
                "; Q3_K, Q4_K, Q5_K are aliases of the _M mixes; case does not matter)");
}

std::optional<std::string> recipeNameOfFileType(uint32_t fileType) {
    for (const auto& m : kMixes)
        if (m.ftype == fileType)
            return std::string(m.name);
    return std::nullopt;
}

RecipeResult applyRecipe(const std::string& name, const RecipeModel& model,
                         const RecipeOptions& options) {
    RecipeResult r;
    r.recipe = recipe(name);
    if (model.arch != "llama" && model.arch != "phi2")
        throw Error(
            "llama.cpp mixes are defined here for the llama and phi2 architectures, not \"" +
            model.arch + "\"");
    struct Item {
        std::size_t index;
        std::string gguf;
        int block;
    };
    std::vector<Item> items;
    for (std::size_t i = 0; i < model.tensors.size(); ++i) {
        const auto& t = model.tensors[i];
        auto g = models::ggufTensorName(model.arch, t.name);
        if (!g)
            throw Error("tensor \"" + t.name + "\" has no " + model.arch + " GGUF name");
        items.push_back({i, *g, blockOf(*g)});
    }
    State s;
    s.ftype = r.recipe.fileType;
    s.nGqa = model.kvHeads > 0 ? model.heads / model.kvHeads : 0;
    // llama.cpp's LLM_TYPE_70B: a Llama of 80 layers with grouped-query attention.
    s.is70B = model.arch == "llama" && model.layers == 80 && model.heads != model.kvHeads;
    s.hasOutput = false;
    s.imatrix = options.imatrix;
    s.nLayer = int(model.layers);
    for (const auto& it : items) {
        if (contains(it.gguf, "attn_v.weight") || contains(it.gguf, "attn_qkv.weight") ||
            contains(it.gguf, "attn_kv_b.weight"))
            ++s.nAttnV;
        if (it.gguf == "output.weight")
            s.hasOutput = true;
    }
    // llama.cpp counts i_attention_wv / i_ffn_down in its (block, name) tensor order.
    std::vector<Item> order = items;
    std::stable_sort(order.begin(), order.end(), [](const Item& a, const Item& b) {
        return a.block != b.block ? a.block < b.block : a.gguf < b.gguf;
    });
    r.tensors.resize(model.tensors.size());
    const bool quantizedMix = r.recipe.base.isGgufBlock();
    for (const auto& it : order) {
        const RecipeTensor& t = model.tensors[it.index];
        RecipeChoice c;
        c.name = t.name;
        c.ggufName = it.gguf;
        c.shape = t.shape;
        if (!quantizable(it.gguf, t.shape)) {
            c.type = Precision::parse("f32");
        } else {
            Precision p = r.recipe.base;
            if (quantizedMix && !options.pure)
                p = mixType(s, it.gguf, t.shape, p);
            c.type = quant::llamaFallback(p, t.shape.empty() ? 1 : t.shape.back(), &c.note);
        }
        r.tensors[it.index] = std::move(c);
    }
    for (const auto& c : r.tensors)
        if (!c.note.empty())
            r.notes.push_back(c.name + ": " + c.note);

    Policy& p = r.policy;
    p.defaultPrecision = r.recipe.base;
    p.other = r.recipe.base;
    p.norms = Precision::parse("f32");
    p.biases = Precision::parse("f32");
    p.reference = Precision::parse("f16");
    bool haveLmHead = false;
    for (const auto& c : r.tensors) {
        if (c.ggufName == "token_embd.weight")
            p.embeddings = c.type;
        if (c.ggufName == "output.weight")
            p.lmHead = c.type, haveLmHead = true;
    }
    if (!haveLmHead)
        p.lmHead = p.embeddings; // tied: the embedding matrix is the output
    for (const auto& c : r.tensors)
        if (p.classPrecision(c.name) != c.type)
            p.overrides[c.name] = c.type;
    p.scheme = {{"llama_mix", r.recipe.name},
                {"gguf_file_type", r.recipe.fileType},
                {"imatrix_rules", options.imatrix},
                {"pure", options.pure}};
    p.provenance.method = "recipe";
    p.provenance.params = {{"recipe", r.recipe.name},
                           {"llama_cpp", "llama-quantize's llama_tensor_get_type (0a50d99)"},
                           {"fallbacks", r.notes}};
    p.provenance.toolVersion = TASKQUANT_VERSION;
    std::vector<TensorShape> shapes;
    for (const auto& c : r.tensors)
        shapes.push_back({c.name, c.shape});
    p.estimate = p.estimateSize(shapes);
    return r;
}

RecipeModel recipeModelFromDirectory(const std::string& dir) {
    namespace fs = std::filesystem;
    const auto c = models::ModelConfig::fromFile((fs::path(dir) / "config.json").string());
    auto arch = models::ggufArchitecture(c.modelType);
    if (!arch)
        throw Error(dir, "llama.cpp mixes need model_type llama, mistral or phi, not \"" +
                             c.modelType + "\"");
    RecipeModel m;
    m.arch = *arch;
    m.layers = c.numLayers;
    m.heads = c.numHeads;
    m.kvHeads = c.numKvHeads;
    const auto ckpt = io::SafetensorsCheckpoint::openDirectory(dir);
    for (const auto& name : ckpt.names()) {
        if (endsWith(name, "rotary_emb.inv_freq"))
            continue; // the GGUF exporter skips it too
        m.tensors.push_back({name, ckpt.find(name)->shape});
    }
    return m;
}

} // namespace taskquant::policy
