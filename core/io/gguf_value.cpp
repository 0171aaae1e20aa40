#include "core/io/gguf_value.h"

#include <sstream>

#include "core/util/error.h"

namespace taskquant::io {

namespace {
// Variant index -> GGUF type of the scalar (indices 0..11) or of the array's elements (12..23).
constexpr GgufType kIndexType[12] = {
    GgufType::UINT8,  GgufType::INT8,   GgufType::UINT16,  GgufType::INT16,
    GgufType::UINT32, GgufType::INT32,  GgufType::FLOAT32, GgufType::BOOL,
    GgufType::STRING, GgufType::UINT64, GgufType::INT64,   GgufType::FLOAT64,
};

template <class T> void put(std::ostringstream& s, const T& v) {
    if constexpr (std::is_same_v<T, std::string>) {
        s << '"';
        for (char c : v.substr(0, 200))
            s << (c == '\n' ? ' ' : c);
        if (v.size() > 200)
            s << "...";
        s << '"';
    } else if constexpr (std::is_same_v<T, bool>) {
        s << (v ? "true" : "false");
    } else if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>) {
        s << static_cast<int>(v);
    } else {
        s << v;
    }
}
} // namespace

std::string ggufTypeName(GgufType t) {
    static const char* names[] = {"UINT8",  "INT8",    "UINT16", "INT16",  "UINT32",
                                  "INT32",  "FLOAT32", "BOOL",   "STRING", "ARRAY",
                                  "UINT64", "INT64",   "FLOAT64"};
    const auto i = static_cast<uint32_t>(t);
    return i < 13 ? names[i] : "type " + std::to_string(i);
}

std::size_t ggufScalarSize(GgufType t) {
    switch (t) {
    case GgufType::UINT8:
    case GgufType::INT8:
    case GgufType::BOOL:
        return 1;
    case GgufType::UINT16:
    case GgufType::INT16:
        return 2;
    case GgufType::UINT32:
    case GgufType::INT32:
    case GgufType::FLOAT32:
        return 4;
    case GgufType::UINT64:
    case GgufType::INT64:
    case GgufType::FLOAT64:
        return 8;
    case GgufType::STRING:
    case GgufType::ARRAY:
        return 0;
    }
    return 0;
}

bool isValidGgufType(uint32_t id) {
    return id <= 12;
}

GgufType GgufValue::type() const {
    return isArray() ? GgufType::ARRAY : kIndexType[v_.index()];
}

GgufType GgufValue::elementType() const {
    return kIndexType[v_.index() % 12];
}

std::size_t GgufValue::size() const {
    return std::visit(
        [](const auto& v) -> std::size_t {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>)
                return 1;
            else if constexpr (std::is_class_v<T>)
                return v.size();
            else
                return 1;
        },
        v_);
}

std::optional<int64_t> GgufValue::asInt() const {
    return std::visit(
        [](const auto& v) -> std::optional<int64_t> {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
                if constexpr (std::is_same_v<T, uint64_t>) {
                    if (v > static_cast<uint64_t>(INT64_MAX))
                        return std::nullopt;
                }
                return static_cast<int64_t>(v);
            } else {
                return std::nullopt;
            }
        },
        v_);
}

std::optional<uint64_t> GgufValue::asUInt() const {
    const auto i = asInt();
    if (i)
        return *i < 0 ? std::nullopt : std::optional<uint64_t>(static_cast<uint64_t>(*i));
    if (const auto* u = getIf<uint64_t>())
        return *u;
    return std::nullopt;
}

std::string GgufValue::typeString() const {
    return isArray() ? "ARRAY[" + ggufTypeName(elementType()) + "]" : ggufTypeName(type());
}

std::string GgufValue::toString(std::size_t maxItems) const {
    std::ostringstream s;
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string> || !std::is_class_v<T>) {
                put(s, v);
            } else {
                s << '[';
                for (std::size_t i = 0; i < v.size() && i < maxItems; ++i) {
                    if (i)
                        s << ", ";
                    put(s, static_cast<typename T::value_type>(v[i]));
                }
                if (v.size() > maxItems)
                    s << ", ... (" << v.size() << " items)";
                s << ']';
            }
        },
        v_);
    return s.str();
}

void GgufValue::wrongType(const std::string& key, const std::string& wanted) const {
    throw Error("GGUF metadata" + (key.empty() ? std::string() : " key '" + key + "'") +
                " has type " + typeString() + ", expected " + wanted);
}

void GgufMetadata::set(const std::string& key, GgufValue value) {
    const auto it = index_.find(key);
    if (it != index_.end()) {
        entries_[it->second].second = std::move(value);
        return;
    }
    index_.emplace(key, entries_.size());
    entries_.emplace_back(key, std::move(value));
}

const GgufValue* GgufMetadata::find(const std::string& key) const {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &entries_[it->second].second;
}

bool GgufMetadata::remove(const std::string& key) {
    const auto it = index_.find(key);
    if (it == index_.end())
        return false;
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(it->second));
    index_.clear();
    for (std::size_t i = 0; i < entries_.size(); ++i)
        index_.emplace(entries_[i].first, i);
    return true;
}

void GgufMetadata::missing(const std::string& key) {
    throw Error("GGUF metadata has no key '" + key + "'");
}

} // namespace taskquant::io
