#include "core/policy/taxonomy.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/util/error.h"

namespace taskquant::policy {

namespace {

std::vector<std::string> splitDots(const std::string& s) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : s) {
        if (c == '.') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    parts.push_back(cur);
    return parts;
}

bool allDigits(const std::string& s) {
    return !s.empty() && s.size() <= 9 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool isBlockContainer(const std::string& s) {
    return s == "layers" || s == "h" || s == "blocks" || s == "layer";
}

bool contains(const std::vector<std::string>& parts, const char* what) {
    return std::find(parts.begin(), parts.end(), what) != parts.end();
}

// Kind of a module inside a block from its path components (parameter suffix removed).
Kind blockKind(const std::vector<std::string>& path) {
    if (path.empty())
        return Kind::Other;
    const std::string& m = path.back();
    const std::string parent = path.size() >= 2 ? path[path.size() - 2] : std::string();
    const bool inAttention =
        parent.find("attn") != std::string::npos || parent.find("attention") != std::string::npos;
    static const std::map<std::string, Kind> direct = {
        {"q_proj", Kind::Q},
        {"k_proj", Kind::K},
        {"v_proj", Kind::V},
        {"o_proj", Kind::O},
        {"qkv_proj", Kind::Qkv},
        {"c_attn", Kind::Qkv},
        {"gate_proj", Kind::Gate},
        {"up_proj", Kind::Up},
        {"down_proj", Kind::Down},
        {"fc1", Kind::Fc1},
        {"c_fc", Kind::Fc1},
        {"fc2", Kind::Fc2},
        {"input_layernorm", Kind::InputNorm},
        {"ln_1", Kind::InputNorm},
        {"post_attention_layernorm", Kind::PostAttnNorm},
        {"ln_2", Kind::PostAttnNorm},
        {"q_norm", Kind::QNorm},
        {"q_layernorm", Kind::QNorm},
        {"k_norm", Kind::KNorm},
        {"k_layernorm", Kind::KNorm},
    };
    auto it = direct.find(m);
    if (it != direct.end())
        return it->second;
    if (m == "dense" && inAttention)
        return Kind::O;
    if (m == "c_proj") {
        if (inAttention)
            return Kind::O;
        if (parent == "mlp")
            return Kind::Fc2;
    }
    return Kind::Other;
}

} // namespace

bool TensorClass::isLinear() const {
    switch (kind) {
    case Kind::Q:
    case Kind::K:
    case Kind::V:
    case Kind::Qkv:
    case Kind::O:
    case Kind::Gate:
    case Kind::Up:
    case Kind::Down:
    case Kind::Fc1:
    case Kind::Fc2:
        return place == Place::Layer;
    default:
        return false;
    }
}

bool TensorClass::isNorm() const {
    switch (kind) {
    case Kind::InputNorm:
    case Kind::PostAttnNorm:
    case Kind::QNorm:
    case Kind::KNorm:
    case Kind::FinalNorm:
        return true;
    default:
        return false;
    }
}

TensorClass classify(const std::string& name) {
    TensorClass c;
    std::vector<std::string> parts = splitDots(name);
    // The parameter itself: "weight" is the module's weight; anything else (bias, ...) is
    // flagged. A name without a dot is a bare module-less parameter: kind Other.
    std::string param;
    if (parts.size() >= 2) {
        param = parts.back();
        parts.pop_back();
    }
    // Known modules: every non-"weight" parameter is flagged; unknown ones only a "bias".
    auto finish = [&](TensorClass r) {
        r.isBias = r.kind == Kind::Other ? param == "bias" : (!param.empty() && param != "weight");
        return r;
    };
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        if (isBlockContainer(parts[i]) && allDigits(parts[i + 1])) {
            const long idx = std::stol(parts[i + 1]);
            if (idx > kMaxLayerIndex)
                break; // not believable: leave it as Other
            c.place = Place::Layer;
            c.layer = static_cast<int>(idx);
            c.kind = blockKind(
                std::vector<std::string>(parts.begin() + static_cast<long>(i) + 2, parts.end()));
            return finish(c);
        }
    }
    const std::string& m = parts.empty() ? name : parts.back();
    if (m == "embed_tokens" || m == "wte" || m == "word_embeddings" || m == "tok_embeddings") {
        c.place = Place::Embeddings;
        c.kind = Kind::Embed;
    } else if (m == "wpe" || m == "embed_positions") {
        c.place = Place::Embeddings;
        c.kind = Kind::PosEmbed;
    } else if (m == "lm_head" || m == "embed_out") {
        c.place = Place::LmHead;
        c.kind = Kind::LmHead;
    } else if (m == "final_layernorm" || m == "ln_f" || m == "final_layer_norm" ||
               (m == "norm" && parts.size() <= 2)) {
        c.place = Place::FinalNorm;
        c.kind = Kind::FinalNorm;
    }
    return finish(c);
}

Scheme detectScheme(const std::vector<std::string>& names) {
    int llama = 0, phi = 0, gpt2 = 0;
    for (const auto& n : names) {
        const auto parts = splitDots(n);
        if (contains(parts, "gate_proj") || contains(parts, "up_proj") ||
            contains(parts, "down_proj") || contains(parts, "post_attention_layernorm") ||
            contains(parts, "o_proj"))
            ++llama;
        if (contains(parts, "fc1") || contains(parts, "fc2") ||
            contains(parts, "final_layernorm") || contains(parts, "dense"))
            ++phi;
        if (contains(parts, "c_attn") || contains(parts, "c_fc") || contains(parts, "wte") ||
            contains(parts, "ln_1") || contains(parts, "ln_f"))
            ++gpt2;
    }
    if (llama == 0 && phi == 0 && gpt2 == 0)
        return Scheme::Unknown;
    if (llama >= phi && llama >= gpt2)
        return Scheme::Llama;
    if (phi >= gpt2)
        return Scheme::Phi;
    return Scheme::Gpt2;
}

Scheme schemeFromArchitecture(const std::string& architecture) {
    std::string a;
    for (char ch : architecture)
        a.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    const std::string suffix = "forcausallm";
    if (a.size() > suffix.size() && a.compare(a.size() - suffix.size(), suffix.size(), suffix) == 0)
        a.resize(a.size() - suffix.size());
    if (a == "llama" || a == "mistral" || a == "qwen2")
        return Scheme::Llama;
    if (a == "phi")
        return Scheme::Phi;
    if (a == "gpt2" || a == "gpt2lmhead" || a == "gpt2lmheadmodel")
        return Scheme::Gpt2;
    return Scheme::Unknown;
}

Scheme resolveScheme(const std::string& architecture, const std::vector<std::string>& names) {
    const Scheme s = schemeFromArchitecture(architecture);
    return s != Scheme::Unknown ? s : detectScheme(names);
}

std::string schemeName(Scheme s) {
    switch (s) {
    case Scheme::Llama:
        return "llama";
    case Scheme::Phi:
        return "phi";
    case Scheme::Gpt2:
        return "gpt2";
    case Scheme::Unknown:
        break;
    }
    return "unknown";
}

const std::vector<Kind>& layerColumnOrder(Scheme s) {
    static const std::vector<Kind> llama = {Kind::Q,     Kind::K,         Kind::V,
                                            Kind::O,     Kind::Gate,      Kind::Up,
                                            Kind::Down,  Kind::InputNorm, Kind::PostAttnNorm,
                                            Kind::QNorm, Kind::KNorm};
    static const std::vector<Kind> phi = {Kind::Q,         Kind::K,     Kind::V,
                                          Kind::O,         Kind::Fc1,   Kind::Fc2,
                                          Kind::InputNorm, Kind::QNorm, Kind::KNorm};
    static const std::vector<Kind> gpt2 = {Kind::Qkv, Kind::O,         Kind::Fc1,
                                           Kind::Fc2, Kind::InputNorm, Kind::PostAttnNorm};
    static const std::vector<Kind> all = {
        Kind::Q,     Kind::K,    Kind::V,   Kind::Qkv, Kind::O,         Kind::Gate,
        Kind::Up,    Kind::Down, Kind::Fc1, Kind::Fc2, Kind::InputNorm, Kind::PostAttnNorm,
        Kind::QNorm, Kind::KNorm};
    switch (s) {
    case Scheme::Llama:
        return llama;
    case Scheme::Phi:
        return phi;
    case Scheme::Gpt2:
        return gpt2;
    case Scheme::Unknown:
        break;
    }
    return all;
}

namespace {
struct KindNames {
    Kind kind;
    const char* id;
};
const KindNames kKindIds[] = {
    {Kind::Q, "q_proj"},
    {Kind::K, "k_proj"},
    {Kind::V, "v_proj"},
    {Kind::Qkv, "qkv_proj"},
    {Kind::O, "o_proj"},
    {Kind::Gate, "gate_proj"},
    {Kind::Up, "up_proj"},
    {Kind::Down, "down_proj"},
    {Kind::Fc1, "fc1"},
    {Kind::Fc2, "fc2"},
    {Kind::InputNorm, "input_layernorm"},
    {Kind::PostAttnNorm, "post_attention_layernorm"},
    {Kind::QNorm, "q_norm"},
    {Kind::KNorm, "k_norm"},
    {Kind::Embed, "embed_tokens"},
    {Kind::PosEmbed, "embed_positions"},
    {Kind::FinalNorm, "final_norm"},
    {Kind::LmHead, "lm_head"},
    {Kind::Other, "other"},
};
} // namespace

std::string kindId(Kind k) {
    for (const auto& e : kKindIds)
        if (e.kind == k)
            return e.id;
    return "other";
}

Kind kindFromId(const std::string& id) {
    for (const auto& e : kKindIds)
        if (id == e.id)
            return e.kind;
    throw Error("unknown module kind '" + id + "'");
}

std::string kindLabel(Kind k, Scheme s) {
    if (s == Scheme::Phi) {
        if (k == Kind::O)
            return "dense";
        if (k == Kind::FinalNorm)
            return "final_layernorm";
        if (k == Kind::QNorm)
            return "q_layernorm";
        if (k == Kind::KNorm)
            return "k_layernorm";
    }
    if (s == Scheme::Gpt2) {
        switch (k) {
        case Kind::Qkv:
            return "attn.c_attn";
        case Kind::O:
            return "attn.c_proj";
        case Kind::Fc1:
            return "mlp.c_fc";
        case Kind::Fc2:
            return "mlp.c_proj";
        case Kind::InputNorm:
            return "ln_1";
        case Kind::PostAttnNorm:
            return "ln_2";
        case Kind::Embed:
            return "wte";
        case Kind::PosEmbed:
            return "wpe";
        case Kind::FinalNorm:
            return "ln_f";
        default:
            break;
        }
    }
    if (s == Scheme::Llama && k == Kind::FinalNorm)
        return "norm";
    return kindId(k);
}

std::string placeId(Place p) {
    switch (p) {
    case Place::Embeddings:
        return "embeddings";
    case Place::Layer:
        return "layer";
    case Place::FinalNorm:
        return "final_norm";
    case Place::LmHead:
        return "lm_head";
    case Place::Other:
        break;
    }
    return "other";
}

} // namespace taskquant::policy
