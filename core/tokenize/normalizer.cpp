#include "core/tokenize/normalizer.h"

#include <nlohmann/json.hpp>

#include "core/tokenize/json_fields.h"
#include "core/tokenize/nfc.h"
#include "core/tokenize/regex.h"
#include "core/util/error.h"

namespace taskquant::tokenize {

Normalizer::Normalizer(const nlohmann::json& spec, const std::string& source,
                       const std::string& path)
    : source_(source) {
    if (!spec.is_null())
        parse(spec, source, path, 0);
}

void Normalizer::parse(const nlohmann::json& spec, const std::string& source,
                       const std::string& path, int depth) {
    if (depth > 16)
        jsonf::fail(source, path, "normalizer Sequences nested too deeply");
    jsonf::object(spec, source, path);
    const std::string type = jsonf::string(spec, "type", source, path);
    Step s;
    if (type == "Sequence") {
        auto it = spec.find("normalizers");
        if (it == spec.end())
            jsonf::fail(source, path, "Sequence without \"normalizers\"");
        jsonf::array(*it, source, path + ".normalizers");
        if (it->size() > 64)
            jsonf::fail(source, path, "too many normalizer steps");
        for (std::size_t i = 0; i < it->size(); ++i)
            if (!(*it)[i].is_null())
                parse((*it)[i], source, path + ".normalizers[" + std::to_string(i) + "]",
                      depth + 1);
        return;
    } else if (type == "NFC") {
        s.kind = Step::Kind::Nfc;
    } else if (type == "NFKC") {
        s.kind = Step::Kind::Nfkc;
    } else if (type == "Prepend") {
        s.kind = Step::Kind::Prepend;
        s.text = jsonf::string(spec, "prepend", source, path);
    } else if (type == "Replace") {
        s.kind = Step::Kind::Replace;
        s.text = jsonf::string(spec, "content", source, path);
        auto pat = spec.find("pattern");
        if (pat == spec.end() || !pat->is_object() || pat->size() != 1)
            jsonf::fail(source, path + ".pattern",
                        "expected {\"Regex\": ...} or {\"String\": ...}");
        const bool literal = pat->begin().key() == "String";
        if (!literal && pat->begin().key() != "Regex")
            jsonf::fail(source, path + ".pattern",
                        "unknown pattern kind \"" + pat->begin().key() + "\"");
        if (!pat->begin().value().is_string())
            jsonf::fail(source, path + ".pattern", "the pattern must be a string");
        const std::string p = pat->begin().value().get<std::string>();
        if (p.empty())
            jsonf::fail(source, path + ".pattern", "empty pattern");
        s.regex = std::make_shared<Regex>(p, source, literal);
    } else {
        jsonf::fail(source, path,
                    "unsupported normalizer \"" + type +
                        "\" (supported: null, Prepend, Replace, NFC, NFKC, Sequence)");
    }
    steps_.push_back(std::move(s));
}

bool Normalizer::prepends() const {
    return !steps_.empty() && steps_.front().kind == Step::Kind::Prepend &&
           !steps_.front().text.empty();
}

std::string Normalizer::apply(const std::string& text) const {
    std::string t = text;
    std::vector<std::pair<std::size_t, std::size_t>> matches;
    const std::size_t limit = text.size() * kMaxGrowth + 4096;
    auto tooLarge = [&](std::size_t step, std::size_t bytes) {
        throw Error(source_, "normalizer step " + std::to_string(step + 1) + " would grow " +
                                 std::to_string(text.size()) + " bytes of text to " +
                                 std::to_string(bytes) + " bytes (more than " +
                                 std::to_string(kMaxGrowth) +
                                 " times): a runaway normalizer; refusing it");
    };
    for (std::size_t k = 0; k < steps_.size(); ++k) {
        const Step& s = steps_[k];
        if (t.empty())
            break; // every step maps empty text to empty text
        switch (s.kind) {
        case Step::Kind::Nfc:
            t = nfc(t);
            break;
        case Step::Kind::Nfkc:
            t = nfkc(t);
            break;
        case Step::Kind::Prepend:
            t.insert(0, s.text);
            break;
        case Step::Kind::Replace: {
            matches.clear();
            s.regex->findAll(t, matches);
            if (matches.empty())
                break;
            std::size_t matched = 0;
            for (const auto& [b, e] : matches)
                matched += e - b;
            const std::size_t grown = t.size() - matched + matches.size() * s.text.size();
            if (grown > limit)
                tooLarge(k, grown);
            std::string out;
            out.reserve(t.size() + matches.size() * s.text.size());
            std::size_t prev = 0;
            for (const auto& [b, e] : matches) {
                out.append(t, prev, b - prev);
                out += s.text;
                prev = e;
            }
            out.append(t, prev, std::string::npos);
            t.swap(out);
            break;
        }
        }
        if (t.size() > limit)
            tooLarge(k, t.size());
    }
    return t;
}

} // namespace taskquant::tokenize
