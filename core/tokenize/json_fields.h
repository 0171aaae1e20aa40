#pragma once
// Typed access to fields of untrusted tokenizer JSON files. Every accessor names the file and
// the JSON path of a field with the wrong type in its taskquant::Error. Thread-safe (pure).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace taskquant::tokenize::jsonf {

// Throws Error(source, path + ": " + problem).
[[noreturn]] void fail(const std::string& source, const std::string& path,
                       const std::string& problem);

// Requires `j` to be an object.
const nlohmann::json& object(const nlohmann::json& j, const std::string& source,
                             const std::string& path);
// Requires `j` to be an array.
const nlohmann::json& array(const nlohmann::json& j, const std::string& source,
                            const std::string& path);
// Required string field.
std::string string(const nlohmann::json& obj, const char* key, const std::string& source,
                   const std::string& path);
// Optional boolean field: absent or null gives `fallback`.
bool boolean(const nlohmann::json& obj, const char* key, bool fallback, const std::string& source,
             const std::string& path);
// Optional boolean field: absent or null gives nullopt.
std::optional<bool> optBoolean(const nlohmann::json& obj, const char* key,
                               const std::string& source, const std::string& path);
// Required integer in [lo, hi].
int64_t integer(const nlohmann::json& v, int64_t lo, int64_t hi, const std::string& source,
                const std::string& path);

} // namespace taskquant::tokenize::jsonf
