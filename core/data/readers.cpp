#include "core/data/readers.h"

#include <nlohmann/json.hpp>

#include "core/util/error.h"
#include "core/util/utf8.h"

namespace taskquant::data {

namespace {

bool isBlank(std::string_view s) {
    return s.find_first_not_of(" \t\v\f\r") == std::string_view::npos;
}

std::string lineTag(std::size_t n) {
    return "line " + std::to_string(n) + ": ";
}

std::string fieldNames(const nlohmann::json& obj) {
    std::string s;
    std::size_t n = 0;
    for (auto it = obj.begin(); it != obj.end() && n < 8; ++it, ++n)
        s += (s.empty() ? "" : ", ") + it.key();
    if (obj.size() > 8)
        s += ", ...";
    return s.empty() ? "none" : s;
}

const std::string& stringField(const std::string& path, std::size_t line, const nlohmann::json& obj,
                               const std::string& field) {
    auto it = obj.find(field);
    if (it == obj.end())
        throw Error(path, lineTag(line) + "no field '" + field +
                              "' (fields present: " + fieldNames(obj) + ")");
    if (!it->is_string())
        throw Error(path, lineTag(line) + "field '" + field + "' is " + it->type_name() +
                              ", expected a string");
    return it->get_ref<const std::string&>();
}

} // namespace

std::vector<std::string> readJsonlTexts(const std::string& path, const std::string& field,
                                        const std::string& appendField, const ReadLimits& limits) {
    if (field.empty())
        throw Error(path, "no JSON field named to read the text from");
    const TextFile file = TextFile::read(path, limits);
    std::vector<std::string> texts;
    file.forEachLine([&](std::size_t n, std::string_view line) {
        if (isBlank(line))
            return;
        nlohmann::json record;
        try {
            record = nlohmann::json::parse(line.begin(), line.end());
        } catch (const nlohmann::json::parse_error& e) {
            std::string what = e.what();
            auto pos = what.find(": ", what.find("parse error"));
            throw Error(path, lineTag(n) + "not valid JSON at column " + std::to_string(e.byte) +
                                  (pos == std::string::npos ? "" : what.substr(pos)));
        } catch (const nlohmann::json::exception& e) { // e.g. a number too large ("1e999")
            std::string what = e.what();
            const auto close = what.find("] ");
            throw Error(path, lineTag(n) + "not valid JSON: " +
                                  (close == std::string::npos ? what : what.substr(close + 2)));
        }
        if (!record.is_object())
            throw Error(path, lineTag(n) + "expected a JSON object, found " + record.type_name());
        std::string text = stringField(path, n, record, field);
        if (!appendField.empty())
            text += "\n" + stringField(path, n, record, appendField);
        if (!isBlank(text))
            texts.push_back(std::move(text));
    });
    return texts;
}

std::vector<std::string> readWikiTextParagraphs(const std::string& path, const ReadLimits& limits) {
    const TextFile file = TextFile::read(path, limits);
    std::vector<std::string> rows;
    file.forEachLine([&](std::size_t, std::string_view line) {
        if (utf8::length(line) + 1 <= kWikiTextMinChars)
            return; // + 1: the row's newline
        if (line.substr(0, 2) == " =")
            return;
        std::string row(line);
        row += '\n';
        rows.push_back(std::move(row));
    });
    return rows;
}

std::vector<std::string> readTextBlocks(const std::string& path, const ReadLimits& limits) {
    const TextFile file = TextFile::read(path, limits);
    std::vector<std::string> blocks;
    std::string current;
    bool open = false;
    file.forEachLine([&](std::size_t, std::string_view line) {
        if (isBlank(line)) {
            if (open)
                blocks.push_back(std::move(current));
            current.clear();
            open = false;
            return;
        }
        if (open)
            current += '\n';
        current.append(line.data(), line.size());
        open = true;
    });
    if (open)
        blocks.push_back(std::move(current));
    return blocks;
}

} // namespace taskquant::data
