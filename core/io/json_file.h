#pragma once
// Reading JSON files that users hand us: size-limited, parse errors reported as
// "<file>: invalid JSON at line L, column C: ..." via taskquant::Error.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace taskquant::io {

nlohmann::json readJsonFile(const std::string& path, std::size_t maxBytes = 64u << 20);
nlohmann::json parseJson(const std::string& text, const std::string& sourceName);
// Serialises with 2-space indentation and writes atomically.
void writeJsonFile(const std::string& path, const nlohmann::json& j);

} // namespace taskquant::io
