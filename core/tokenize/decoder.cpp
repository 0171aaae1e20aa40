#include "core/tokenize/decoder.h"

#include <nlohmann/json.hpp>

#include "core/tokenize/json_fields.h"
#include "core/tokenize/regex.h"
#include "core/util/utf8.h"

namespace taskquant::tokenize {
namespace {

const char* const kReplacementChar = "\xEF\xBF\xBD";

// The code points of well-formed UTF-8 text; a malformed byte is kept as U+FFFD.
std::vector<std::string> characters(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8::sequenceLength(s, i);
        if (n == 0) {
            out.emplace_back(kReplacementChar);
            ++i;
        } else {
            out.emplace_back(s, i, n);
            i += n;
        }
    }
    return out;
}

std::string replaceAll(const Regex& re, const std::string& text, const std::string& content) {
    if (!utf8::isValid(text))
        return text; // tokens of a well-formed vocabulary always are
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    re.findAll(text, matches);
    if (matches.empty())
        return text;
    std::string out;
    std::size_t prev = 0;
    for (const auto& [b, e] : matches) {
        out.append(text, prev, b - prev);
        out += content;
        prev = e;
    }
    out.append(text, prev, std::string::npos);
    return out;
}

// "<0xXX>" -> XX, else -1.
int byteToken(const std::string& t) {
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>')
        return -1;
    auto hex = [](char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    const int hi = hex(t[3]), lo = hex(t[4]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

} // namespace

std::string decodeUtf8Lossy(const std::string& b) {
    std::string out;
    out.reserve(b.size());
    std::size_t i = 0;
    while (i < b.size()) {
        const auto c = static_cast<unsigned char>(b[i]);
        if (c < 0x80) {
            out += char(c);
            ++i;
            continue;
        }
        int need = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else {
            out += kReplacementChar;
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        int seen = 0;
        while (seen < need && j < b.size()) {
            const auto d = static_cast<unsigned char>(b[j]);
            if (d < lo || d > hi)
                break;
            lo = 0x80;
            hi = 0xBF;
            ++j;
            ++seen;
        }
        if (seen == need)
            out.append(b, i, j - i);
        else
            out += kReplacementChar;
        i = j;
    }
    return out;
}

Decoder::Decoder(const nlohmann::json& spec, const std::string& source, const std::string& path) {
    if (!spec.is_null()) {
        null_ = false;
        parse(spec, source, path, 0);
    }
}

void Decoder::parse(const nlohmann::json& spec, const std::string& source, const std::string& path,
                    int depth) {
    if (depth > 16)
        jsonf::fail(source, path, "decoder Sequences nested too deeply");
    jsonf::object(spec, source, path);
    const std::string type = jsonf::string(spec, "type", source, path);
    Step s;
    if (type == "Sequence") {
        auto it = spec.find("decoders");
        if (it == spec.end())
            jsonf::fail(source, path, "Sequence without \"decoders\"");
        jsonf::array(*it, source, path + ".decoders");
        if (it->size() > 64)
            jsonf::fail(source, path, "too many decoder steps");
        for (std::size_t i = 0; i < it->size(); ++i)
            parse((*it)[i], source, path + ".decoders[" + std::to_string(i) + "]", depth + 1);
        return;
    } else if (type == "Replace") {
        s.kind = Step::Kind::Replace;
        s.text = jsonf::string(spec, "content", source, path);
        auto pat = spec.find("pattern");
        if (pat == spec.end() || !pat->is_object() || pat->size() != 1 ||
            !pat->begin().value().is_string() ||
            (pat->begin().key() != "String" && pat->begin().key() != "Regex"))
            jsonf::fail(source, path + ".pattern",
                        "expected {\"Regex\": ...} or {\"String\": ...}");
        const std::string p = pat->begin().value().get<std::string>();
        if (p.empty())
            jsonf::fail(source, path + ".pattern", "empty pattern");
        s.regex = std::make_shared<Regex>(p, source, pat->begin().key() == "String");
    } else if (type == "ByteFallback") {
        s.kind = Step::Kind::ByteFallback;
    } else if (type == "Fuse") {
        s.kind = Step::Kind::Fuse;
    } else if (type == "Strip") {
        s.kind = Step::Kind::Strip;
        s.text = jsonf::string(spec, "content", source, path);
        if (characters(s.text).size() != 1)
            jsonf::fail(source, path + ".content", "expected one character");
        for (auto [key, field] : {std::pair{"start", &s.start}, std::pair{"stop", &s.stop}}) {
            auto it = spec.find(key);
            if (it != spec.end() && !it->is_null())
                *field = int(jsonf::integer(*it, 0, 1 << 20, source, path + "." + key));
        }
    } else if (type == "Metaspace") {
        s.kind = Step::Kind::Metaspace;
        s.text = "\xE2\x96\x81"; // U+2581
        auto it = spec.find("replacement");
        if (it != spec.end() && !it->is_null()) {
            s.text = jsonf::string(spec, "replacement", source, path);
            if (characters(s.text).size() != 1)
                jsonf::fail(source, path + ".replacement", "expected one character");
        }
        s.regex = std::make_shared<Regex>(s.text, source, true);
    } else {
        jsonf::fail(source, path,
                    "unsupported decoder \"" + type +
                        "\" (supported: Replace, ByteFallback, Fuse, Strip, "
                        "Metaspace, Sequence; ByteLevel for byte-level BPE)");
    }
    steps_.push_back(std::move(s));
}

std::string Decoder::decode(std::vector<std::string> tokens) const {
    if (null_) {
        std::string out;
        for (std::size_t i = 0; i < tokens.size(); ++i)
            out += (i ? " " : "") + tokens[i];
        return out;
    }
    for (const Step& s : steps_) {
        switch (s.kind) {
        case Step::Kind::Replace:
            for (auto& t : tokens)
                t = replaceAll(*s.regex, t, s.text);
            break;
        case Step::Kind::ByteFallback: {
            std::vector<std::string> next;
            std::string bytes;
            bool inRun = false;
            for (auto& t : tokens) {
                const int b = byteToken(t);
                if (b >= 0) {
                    bytes += char(b);
                    inRun = true;
                    continue;
                }
                if (inRun)
                    next.push_back(decodeUtf8Lossy(bytes));
                bytes.clear();
                inRun = false;
                next.push_back(std::move(t));
            }
            if (inRun)
                next.push_back(decodeUtf8Lossy(bytes));
            tokens.swap(next);
            break;
        }
        case Step::Kind::Fuse: {
            std::string all;
            for (const auto& t : tokens)
                all += t;
            tokens.assign(1, std::move(all));
            break;
        }
        case Step::Kind::Strip:
            for (auto& t : tokens) {
                const auto chars = characters(t);
                std::size_t b = 0, e = chars.size();
                while (b < e && b < std::size_t(s.start) && chars[b] == s.text)
                    ++b;
                while (e > b && chars.size() - e < std::size_t(s.stop) && chars[e - 1] == s.text)
                    --e;
                std::string out;
                for (std::size_t k = b; k < e; ++k)
                    out += chars[k];
                t.swap(out);
            }
            break;
        case Step::Kind::Metaspace:
            for (std::size_t i = 0; i < tokens.size(); ++i) {
                tokens[i] = replaceAll(*s.regex, tokens[i], " ");
                if (i == 0 && !tokens[i].empty() && tokens[i][0] == ' ')
                    tokens[i].erase(0, 1);
            }
            break;
        }
    }
    std::string out;
    for (const auto& t : tokens)
        out += t;
    return out;
}

} // namespace taskquant::tokenize
