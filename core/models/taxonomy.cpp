#include "core/models/taxonomy.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/models/naming_scheme.h"

#include "core/util/error.h"

namespace taskquant::models {

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

bool listed(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

bool isBlockContainer(const std::string& s) {
    for (const NamingScheme* n : namingSchemes())
        if (listed(n->blockContainers, s))
            return true;
    return false;
}

bool contains(const std::vector<std::string>& parts, const char* what) {
    return std::find(parts.begin(), parts.end(), what) != parts.end();
}

// Kind of a module inside a block from its path components (parameter suffix removed), by
// the union of every family's module names.
Kind blockKind(const std::vector<std::string>& path) {
    if (path.empty())
        return Kind::Other;
    const std::string& m = path.back();
    const std::string parent = path.size() >= 2 ? path[path.size() - 2] : std::string();
    const bool inAttention =
        parent.find("attn") != std::string::npos || parent.find("attention") != std::string::npos;
    static const std::map<std::string, Kind> direct = [] {
        std::map<std::string, Kind> all;
        for (const NamingScheme* n : namingSchemes())
            for (const auto& [name, kind] : n->modules)
                all.emplace(name, kind);
        return all;
    }();
    auto it = direct.find(m);
    if (it != direct.end())
        return it->second;
    for (const NamingScheme* n : namingSchemes())
        for (const auto& c : n->contextual)
            if (c.module == m && (c.parent == "attention" ? inAttention : c.parent == parent))
                return c.kind;
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
    for (const NamingScheme* n : namingSchemes()) {
        if (listed(n->embeddings, m)) {
            c.place = Place::Embeddings;
            c.kind = Kind::Embed;
        } else if (listed(n->positionEmbeddings, m)) {
            c.place = Place::Embeddings;
            c.kind = Kind::PosEmbed;
        } else if (listed(n->lmHead, m)) {
            c.place = Place::LmHead;
            c.kind = Kind::LmHead;
        } else if (listed(n->finalNorm, m) ||
                   (listed(n->finalNormShallow, m) && parts.size() <= 2)) {
            c.place = Place::FinalNorm;
            c.kind = Kind::FinalNorm;
        } else {
            continue;
        }
        break;
    }
    return finish(c);
}

const Scheme Scheme::Unknown{};

Scheme Scheme::byId(const std::string& id) {
    for (const NamingScheme* n : namingSchemes())
        if (n->id == id)
            return Scheme(n);
    return Scheme();
}

const std::vector<const NamingScheme*>& namingSchemes() {
    static const std::vector<const NamingScheme*> all = {&llamaNaming(), &phiNaming(),
                                                         &gpt2Naming()};
    return all;
}

Scheme detectScheme(const std::vector<std::string>& names) {
    const auto& schemes = namingSchemes();
    std::vector<int> votes(schemes.size(), 0);
    for (const auto& n : names) {
        const auto parts = splitDots(n);
        for (std::size_t i = 0; i < schemes.size(); ++i)
            for (const auto& d : schemes[i]->distinctive)
                if (contains(parts, d.c_str())) {
                    ++votes[i];
                    break;
                }
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < schemes.size(); ++i)
        if (votes[i] > votes[best])
            best = i;
    return schemes.empty() || votes[best] == 0 ? Scheme() : Scheme(schemes[best]);
}

Scheme schemeFromArchitecture(const std::string& architecture) {
    std::string a;
    for (char ch : architecture)
        a.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    const std::string suffix = "forcausallm";
    if (a.size() > suffix.size() && a.compare(a.size() - suffix.size(), suffix.size(), suffix) == 0)
        a.resize(a.size() - suffix.size());
    for (const NamingScheme* n : namingSchemes())
        if (listed(n->architectures, a))
            return Scheme(n);
    return Scheme();
}

Scheme resolveScheme(const std::string& architecture, const std::vector<std::string>& names) {
    const Scheme s = schemeFromArchitecture(architecture);
    return s.known() ? s : detectScheme(names);
}

std::string schemeName(Scheme s) {
    return s.known() ? s.info()->id : "unknown";
}

const std::vector<Kind>& layerColumnOrder(Scheme s) {
    if (s.known())
        return s.info()->columnOrder;
    static const std::vector<Kind> all = [] {
        std::vector<Kind> u;
        for (const NamingScheme* n : namingSchemes())
            for (Kind k : n->columnOrder)
                if (std::find(u.begin(), u.end(), k) == u.end())
                    u.push_back(k);
        std::sort(u.begin(), u.end());
        return u;
    }();
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
    if (s.known())
        for (const auto& [kind, label] : s.info()->labels)
            if (kind == k)
                return label;
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

} // namespace taskquant::models
