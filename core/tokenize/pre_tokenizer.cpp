#include "core/tokenize/pre_tokenizer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/jobs/cancel_point.h"
#include "core/tokenize/json_fields.h"
#include "core/tokenize/regex.h"
#include "core/util/utf8.h"

namespace taskquant::tokenize {

const char* const PreTokenizer::kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
const char* const PreTokenizer::kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const PreTokenizer::kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

namespace {

using Range = std::pair<std::size_t, std::size_t>;
struct Segment {
    std::size_t begin, end;
    bool isMatch;
};

PreTokenizer::Behavior parseBehavior(const std::string& s, const std::string& source,
                                     const std::string& path) {
    using B = PreTokenizer::Behavior;
    if (s == "Isolated")
        return B::Isolated;
    if (s == "Removed")
        return B::Removed;
    if (s == "MergedWithPrevious")
        return B::MergedWithPrevious;
    if (s == "MergedWithNext")
        return B::MergedWithNext;
    if (s == "Contiguous")
        return B::Contiguous;
    jsonf::fail(source, path, "unknown split behavior \"" + s + "\"");
}

// Hugging Face's SplitDelimiterBehavior applied to the match/non-match segments of one piece
// (tokenizers/src/tokenizer/normalizer.rs, NormalizedString::split).
std::vector<Range> applyBehavior(const std::vector<Segment>& segs, PreTokenizer::Behavior b) {
    using B = PreTokenizer::Behavior;
    std::vector<Range> out;
    bool previousMatch = false;
    switch (b) {
    case B::Isolated:
        for (const auto& s : segs)
            out.emplace_back(s.begin, s.end);
        break;
    case B::Removed:
        for (const auto& s : segs)
            if (!s.isMatch)
                out.emplace_back(s.begin, s.end);
        break;
    case B::MergedWithPrevious:
        for (const auto& s : segs) {
            if (s.isMatch && !previousMatch && !out.empty())
                out.back().second = s.end;
            else
                out.emplace_back(s.begin, s.end);
            previousMatch = s.isMatch;
        }
        break;
    case B::MergedWithNext:
        for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
            if (it->isMatch && !previousMatch && !out.empty())
                out.back().first = it->begin;
            else
                out.emplace_back(it->begin, it->end);
            previousMatch = it->isMatch;
        }
        std::reverse(out.begin(), out.end());
        break;
    case B::Contiguous:
        for (std::size_t i = 0; i < segs.size(); ++i) {
            if (i > 0 && segs[i].isMatch == previousMatch)
                out.back().second = segs[i].end;
            else
                out.emplace_back(segs[i].begin, segs[i].end);
            previousMatch = segs[i].isMatch;
        }
        break;
    }
    return out;
}

void splitPiece(const PreTokenizer::Step& step, const std::string& piece,
                std::vector<Range>& matches, std::vector<std::string>& out) {
    matches.clear();
    step.regex->findAll(piece, matches);
    std::vector<Segment> segs;
    segs.reserve(matches.size() * 2 + 1);
    std::size_t prev = 0;
    for (const auto& [b, e] : matches) {
        if (b > prev)
            segs.push_back({prev, b, step.invert});
        segs.push_back({b, e, !step.invert});
        prev = e;
    }
    if (prev < piece.size())
        segs.push_back({prev, piece.size(), step.invert});
    for (const auto& [b, e] : applyBehavior(segs, step.behavior))
        if (e > b)
            out.emplace_back(piece, b, e - b);
}

} // namespace

PreTokenizer::PreTokenizer(const nlohmann::json& spec, const std::string& source)
    : source_(source) {
    if (!spec.is_null())
        parse(spec, "pre_tokenizer");
}

PreTokenizer::~PreTokenizer() = default;

void PreTokenizer::parse(const nlohmann::json& spec, const std::string& path) {
    jsonf::object(spec, source_, path);
    const std::string type = jsonf::string(spec, "type", source_, path);
    if (type == "Sequence") {
        auto it = spec.find("pretokenizers");
        if (it == spec.end())
            jsonf::fail(source_, path, "Sequence without \"pretokenizers\"");
        jsonf::array(*it, source_, path + ".pretokenizers");
        if (it->size() > 64)
            jsonf::fail(source_, path, "too many pre-tokenizer steps");
        for (std::size_t i = 0; i < it->size(); ++i)
            parse((*it)[i], path + ".pretokenizers[" + std::to_string(i) + "]");
    } else if (type == "ByteLevel") {
        Step s;
        s.kind = Step::Kind::ByteLevel;
        s.origin = type;
        s.addPrefixSpace = jsonf::boolean(spec, "add_prefix_space", true, source_, path);
        if (jsonf::boolean(spec, "use_regex", true, source_, path)) {
            s.regex = std::make_shared<Regex>(kGpt2Pattern, source_);
        }
        steps_.push_back(std::move(s));
        hasByteLevel_ = true;
    } else if (type == "Split") {
        Step s;
        s.origin = type;
        auto pat = spec.find("pattern");
        if (pat == spec.end() || !pat->is_object() || pat->size() != 1)
            jsonf::fail(source_, path + ".pattern",
                        "expected {\"Regex\": ...} or {\"String\": ...}");
        const bool literal = pat->begin().key() == "String";
        if (!literal && pat->begin().key() != "Regex")
            jsonf::fail(source_, path + ".pattern",
                        "unknown pattern kind \"" + pat->begin().key() + "\"");
        if (!pat->begin().value().is_string())
            jsonf::fail(source_, path + ".pattern", "the pattern must be a string");
        s.regex =
            std::make_shared<Regex>(pat->begin().value().get<std::string>(), source_, literal);
        s.behavior = parseBehavior(jsonf::string(spec, "behavior", source_, path), source_,
                                   path + ".behavior");
        s.invert = jsonf::boolean(spec, "invert", false, source_, path);
        steps_.push_back(std::move(s));
    } else if (type == "Digits") {
        // Hugging Face splits on char::is_numeric (categories Nd, Nl, No) = \p{N}.
        Step s;
        s.origin = type;
        s.regex = std::make_shared<Regex>(R"(\p{N})", source_);
        s.behavior = jsonf::boolean(spec, "individual_digits", false, source_, path)
                         ? Behavior::Isolated
                         : Behavior::Contiguous;
        steps_.push_back(std::move(s));
    } else if (type == "Metaspace") {
        Step s;
        s.kind = Step::Kind::Metaspace;
        s.origin = type;
        s.replacement = "\xE2\x96\x81"; // U+2581
        auto rep = spec.find("replacement");
        if (rep != spec.end() && !rep->is_null()) {
            s.replacement = jsonf::string(spec, "replacement", source_, path);
            if (s.replacement.empty() ||
                utf8::sequenceLength(s.replacement, 0) != s.replacement.size())
                jsonf::fail(source_, path + ".replacement", "expected one character");
        }
        s.addPrefixSpace = true;
        auto scheme = spec.find("prepend_scheme");
        if (scheme != spec.end() && !scheme->is_null()) {
            const std::string v = jsonf::string(spec, "prepend_scheme", source_, path);
            if (v == "never")
                s.addPrefixSpace = false;
            else if (v == "first")
                s.firstOnly = true;
            else if (v != "always")
                jsonf::fail(source_, path + ".prepend_scheme",
                            "expected \"always\", \"first\" or \"never\", found \"" + v + "\"");
        } else {
            s.addPrefixSpace = jsonf::boolean(spec, "add_prefix_space", true, source_, path);
        }
        s.split = jsonf::boolean(spec, "split", true, source_, path);
        s.regex = std::make_shared<Regex>(s.replacement, source_, true);
        s.behavior = Behavior::MergedWithNext;
        steps_.push_back(std::move(s));
    } else {
        jsonf::fail(source_, path,
                    "unsupported pre-tokenizer type \"" + type +
                        "\" (supported: ByteLevel, Split, Digits, Metaspace, "
                        "Sequence)");
    }
}

void PreTokenizer::split(const std::string& text, std::vector<std::string>& out,
                         bool firstSection) const {
    std::vector<std::string> pieces{text}, next;
    std::vector<Range> matches;
    for (const Step& step : steps_) {
        next.clear();
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            if (k % 4096 == 0)
                cancellationPoint();
            std::string& piece = pieces[k];
            if (step.kind == Step::Kind::Metaspace) {
                std::string replaced;
                replaced.reserve(piece.size() + 8);
                for (char c : piece) {
                    if (c == ' ')
                        replaced += step.replacement;
                    else
                        replaced += c;
                }
                const bool startsWith =
                    replaced.compare(0, step.replacement.size(), step.replacement) == 0;
                if (step.addPrefixSpace && !startsWith &&
                    (!step.firstOnly || (firstSection && k == 0)))
                    replaced.insert(0, step.replacement);
                if (step.split)
                    splitPiece(step, replaced, matches, next);
                else if (!replaced.empty())
                    next.push_back(std::move(replaced));
                continue;
            }
            if (step.kind == Step::Kind::ByteLevel && step.addPrefixSpace &&
                (piece.empty() || piece[0] != ' '))
                piece.insert(piece.begin(), ' ');
            if (step.regex)
                splitPiece(step, piece, matches, next);
            else if (!piece.empty())
                next.push_back(std::move(piece));
        }
        pieces.swap(next);
    }
    for (std::string& p : pieces)
        if (!p.empty())
            out.push_back(std::move(p));
}

bool PreTokenizer::addsPrefixSpace() const {
    for (const Step& s : steps_)
        if ((s.kind == Step::Kind::ByteLevel || s.kind == Step::Kind::Metaspace) &&
            s.addPrefixSpace)
            return true;
    return false;
}

std::string PreTokenizer::name() const {
    auto isByteLevel = [](const Step& s, bool regex) {
        return s.kind == Step::Kind::ByteLevel && !s.addPrefixSpace &&
               (s.regex != nullptr) == regex;
    };
    auto isSplit = [](const Step& s, const char* pattern) {
        return s.origin == "Split" && s.behavior == Behavior::Isolated && !s.invert &&
               s.regex->pattern() == pattern;
    };
    if (steps_.size() == 1 && isByteLevel(steps_[0], true))
        return "gpt2";
    if (steps_.size() == 2 && isByteLevel(steps_[1], false)) {
        if (isSplit(steps_[0], kLlama3Pattern))
            return "llama3";
        if (isSplit(steps_[0], kQwen2Pattern))
            return "qwen2";
    }
    if (steps_.size() == 2 && steps_[0].origin == "Digits" &&
        steps_[0].behavior == Behavior::Isolated && isByteLevel(steps_[1], true))
        return "smollm";
    return "custom";
}

} // namespace taskquant::tokenize
