#include "core/tokenize/json_fields.h"

#include "core/util/error.h"

namespace taskquant::tokenize::jsonf {

void fail(const std::string& source, const std::string& path, const std::string& problem) {
    throw Error(source, path + ": " + problem);
}

const nlohmann::json& object(const nlohmann::json& j, const std::string& source,
                             const std::string& path) {
    if (!j.is_object())
        fail(source, path, std::string("expected an object, found ") + j.type_name());
    return j;
}

const nlohmann::json& array(const nlohmann::json& j, const std::string& source,
                            const std::string& path) {
    if (!j.is_array())
        fail(source, path, std::string("expected an array, found ") + j.type_name());
    return j;
}

std::string string(const nlohmann::json& obj, const char* key, const std::string& source,
                   const std::string& path) {
    auto it = obj.find(key);
    if (it == obj.end())
        fail(source, path, std::string("missing \"") + key + "\"");
    if (!it->is_string())
        fail(source, path + "." + key, std::string("expected a string, found ") + it->type_name());
    return it->get<std::string>();
}

std::optional<bool> optBoolean(const nlohmann::json& obj, const char* key,
                               const std::string& source, const std::string& path) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return std::nullopt;
    if (!it->is_boolean())
        fail(source, path + "." + key,
             std::string("expected true or false, found ") + it->type_name());
    return it->get<bool>();
}

bool boolean(const nlohmann::json& obj, const char* key, bool fallback, const std::string& source,
             const std::string& path) {
    return optBoolean(obj, key, source, path).value_or(fallback);
}

int64_t integer(const nlohmann::json& v, int64_t lo, int64_t hi, const std::string& source,
                const std::string& path) {
    if (!v.is_number_integer())
        fail(source, path, std::string("expected an integer, found ") + v.type_name());
    if (v.is_number_unsigned() ? v.get<uint64_t>() > static_cast<uint64_t>(hi) : false)
        fail(source, path,
             "value out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    const int64_t x =
        v.is_number_unsigned() ? static_cast<int64_t>(v.get<uint64_t>()) : v.get<int64_t>();
    if (x < lo || x > hi)
        fail(source, path,
             "value " + std::to_string(x) + " out of range [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
    return x;
}

} // namespace taskquant::tokenize::jsonf
