#pragma once
// GGUF metadata values and the ordered key/value table of a GGUF file.
// A GgufValue is one of the GGUF value types: a scalar (u8, i8, u16, i16, u32, i32, u64, i64,
// f32, f64, bool, string) or an array of one scalar type (arrays of arrays are not supported:
// ggml rejects them too). Construct from the matching C++ type (uint32_t -> UINT32,
// std::vector<std::string> -> ARRAY of STRING, const char* -> STRING, ...); there are no
// implicit conversions between GGUF types, so write GgufValue(uint32_t(4096)) where the type
// matters. Value types, thread-compatible.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace taskquant::io {

// GGUF value type ids as stored in the file.
enum class GgufType : uint32_t {
    UINT8 = 0,
    INT8 = 1,
    UINT16 = 2,
    INT16 = 3,
    UINT32 = 4,
    INT32 = 5,
    FLOAT32 = 6,
    BOOL = 7,
    STRING = 8,
    ARRAY = 9,
    UINT64 = 10,
    INT64 = 11,
    FLOAT64 = 12,
};

std::string ggufTypeName(GgufType t); // "UINT32", "STRING", ...
// Size of one value of a fixed-size scalar type in the file; 0 for STRING and ARRAY.
std::size_t ggufScalarSize(GgufType t);
bool isValidGgufType(uint32_t id);

class GgufValue {
  public:
    using Storage = std::variant<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float, bool,
                                 std::string, uint64_t, int64_t, double, std::vector<uint8_t>,
                                 std::vector<int8_t>, std::vector<uint16_t>, std::vector<int16_t>,
                                 std::vector<uint32_t>, std::vector<int32_t>, std::vector<float>,
                                 std::vector<bool>, std::vector<std::string>, std::vector<uint64_t>,
                                 std::vector<int64_t>, std::vector<double>>;

    GgufValue() : v_(uint8_t(0)) {}
    GgufValue(uint8_t v) : v_(v) {}
    GgufValue(int8_t v) : v_(v) {}
    GgufValue(uint16_t v) : v_(v) {}
    GgufValue(int16_t v) : v_(v) {}
    GgufValue(uint32_t v) : v_(v) {}
    GgufValue(int32_t v) : v_(v) {}
    GgufValue(uint64_t v) : v_(v) {}
    GgufValue(int64_t v) : v_(v) {}
    GgufValue(float v) : v_(v) {}
    GgufValue(double v) : v_(v) {}
    GgufValue(bool v) : v_(v) {}
    GgufValue(std::string v) : v_(std::move(v)) {}
    GgufValue(const char* v) : v_(std::string(v)) {}
    template <class T> GgufValue(std::vector<T> v) : v_(std::move(v)) {}

    // STRING, UINT32, ... or ARRAY.
    GgufType type() const;
    // The element type of an ARRAY; the type itself for scalars.
    GgufType elementType() const;
    bool isArray() const { return v_.index() >= 12; }
    // Number of elements of an ARRAY; 1 for scalars.
    std::size_t size() const;

    // The stored value if it has exactly type T, else nullptr / a thrown taskquant::Error.
    template <class T> const T* getIf() const { return std::get_if<T>(&v_); }
    template <class T> const T& get(const std::string& key = {}) const;

    // Any integer scalar (u8..i64, bool excluded) as int64 / uint64 when it fits.
    std::optional<int64_t> asInt() const;
    std::optional<uint64_t> asUInt() const;
    // A short human-readable rendering (arrays abbreviated after `maxItems`).
    std::string toString(std::size_t maxItems = 8) const;
    // "UINT32", "STRING", "ARRAY[FLOAT32]", ...
    std::string typeString() const;

    const Storage& storage() const { return v_; }
    bool operator==(const GgufValue& o) const { return v_ == o.v_; }
    bool operator!=(const GgufValue& o) const { return !(v_ == o.v_); }

  private:
    [[noreturn]] void wrongType(const std::string& key, const std::string& wanted) const;
    Storage v_;
};

// Keys in file order; keys are unique; lookups are O(1).
class GgufMetadata {
  public:
    // Adds the key at the end, or replaces the value of an existing key in place.
    void set(const std::string& key, GgufValue value);
    const GgufValue* find(const std::string& key) const; // nullptr if absent
    bool contains(const std::string& key) const { return find(key) != nullptr; }
    bool remove(const std::string& key);
    const std::vector<std::pair<std::string, GgufValue>>& entries() const { return entries_; }
    std::size_t size() const { return entries_.size(); }

    // Typed access: throws taskquant::Error naming the key if absent or of another type.
    template <class T> const T& get(const std::string& key) const;

  private:
    [[noreturn]] static void missing(const std::string& key);
    std::vector<std::pair<std::string, GgufValue>> entries_;
    std::unordered_map<std::string, std::size_t> index_; // key -> position in entries_
};

template <class T> const T& GgufValue::get(const std::string& key) const {
    if (const T* p = getIf<T>())
        return *p;
    wrongType(key, GgufValue(T{}).typeString());
}

template <class T> const T& GgufMetadata::get(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v)
        missing(key);
    return v->get<T>(key);
}

} // namespace taskquant::io
