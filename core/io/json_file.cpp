#include "core/io/json_file.h"

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.h"
#include "core/util/error.h"

namespace taskquant::io {

nlohmann::json parseJson(const std::string& text, const std::string& sourceName) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // Translate the byte offset into line and column for people.
        std::size_t byte = std::min<std::size_t>(e.byte, text.size());
        std::size_t line = 1, col = 1;
        for (std::size_t i = 0; i + 1 < byte; ++i) {
            if (text[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        std::string what = e.what();
        auto pos = what.find("syntax error");
        throw Error(sourceName, "invalid JSON at line " + std::to_string(line) + ", column " +
                                    std::to_string(col) +
                                    (pos != std::string::npos ? ": " + what.substr(pos) : ""));
    } catch (const nlohmann::json::exception& e) {
        // E.g. out_of_range.406, a number too large for a double ("1e999").
        std::string what = e.what();
        const auto close = what.find("] ");
        throw Error(sourceName, "invalid JSON: " +
                                    (close != std::string::npos ? what.substr(close + 2) : what));
    }
}

nlohmann::json readJsonFile(const std::string& path, std::size_t maxBytes) {
    return parseJson(readFile(path, maxBytes), path);
}

void writeJsonFile(const std::string& path, const nlohmann::json& j) {
    writeFileAtomically(path, j.dump(2) + "\n");
}

} // namespace taskquant::io
