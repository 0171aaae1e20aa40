#include "core/tokenize/bpe_tokenizer.h"

#include <nlohmann/json.hpp>

#include "core/io/json_file.h"
#include "core/jobs/cancel_point.h"
#include "core/tokenize/json_fields.h"
#include "core/tokenize/nfc.h"
#include "core/util/error.h"
#include "core/util/utf8.h"

namespace taskquant::tokenize {
namespace {

const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& source) {
    static const nlohmann::json null;
    jsonf::object(j, source, "top level");
    auto it = j.find(key);
    return it == j.end() ? null : *it;
}

const nlohmann::json& modelOf(const nlohmann::json& j, const std::string& source) {
    const auto& m = member(j, "model", source);
    if (m.is_null())
        jsonf::fail(source, "model", "missing");
    jsonf::object(m, source, "model");
    auto type = m.find("type");
    if (type != m.end() && !(type->is_string() && *type == "BPE"))
        jsonf::fail(source, "model.type", "expected \"BPE\", found " + type->dump());
    return m;
}

// The TemplateProcessing post-processor, directly or inside a Sequence; nullptr if none.
const nlohmann::json* templateProcessing(const nlohmann::json& pp) {
    if (!pp.is_object())
        return nullptr;
    auto type = pp.find("type");
    if (type == pp.end() || !type->is_string())
        return nullptr;
    if (*type == "TemplateProcessing")
        return &pp;
    if (*type == "Sequence" && pp.contains("processors") && pp["processors"].is_array())
        for (const auto& p : pp["processors"])
            if (const auto* t = templateProcessing(p))
                return t;
    return nullptr;
}

} // namespace

bool BpeTokenizer::isByteLevelBpe(const nlohmann::json& j, std::string* why) {
    auto say = [&](const std::string& s) {
        if (why)
            *why = s;
        return false;
    };
    if (!j.is_object())
        return say("the file is not a JSON object");
    auto m = j.find("model");
    if (m == j.end() || !m->is_object())
        return say("it has no \"model\" object");
    auto type = m->find("type");
    if (type != m->end() && !(type->is_string() && *type == "BPE"))
        return say("its model type is " + type->dump() + ", not BPE");
    auto hasByteLevel = [](const nlohmann::json& spec, auto&& self) -> bool {
        if (!spec.is_object())
            return false;
        auto t = spec.find("type");
        if (t != spec.end() && *t == "ByteLevel")
            return true;
        for (const char* list : {"pretokenizers", "decoders"}) {
            auto l = spec.find(list);
            if (l != spec.end() && l->is_array())
                for (const auto& s : *l)
                    if (self(s, self))
                        return true;
        }
        return false;
    };
    for (const char* key : {"pre_tokenizer", "decoder"}) {
        auto it = j.find(key);
        if (it != j.end() && hasByteLevel(*it, hasByteLevel))
            return true;
    }
    return say("it is a BPE without a ByteLevel pre-tokenizer or decoder (a sentencepiece-style "
               "tokenizer.json)");
}

BpeTokenizer::BpeTokenizer(const std::string& path, const SpecialTokensConfig& config)
    : BpeTokenizer(io::readJsonFile(path, kMaxFileBytes), path, config) {}

BpeTokenizer::BpeTokenizer(const nlohmann::json& j, const std::string& path,
                           const SpecialTokensConfig& config)
    : Tokenizer(path), byteLevel_(isByteLevelBpe(j, nullptr)),
      model_(modelOf(j, path), path, byteLevel_), pre_(member(j, "pre_tokenizer", path), path),
      normalizer_(member(j, "normalizer", path), path) {
    std::string why;
    if (!isBpe(j, &why))
        throw Error(path, "not a BPE tokenizer: " + why);
    if (!byteLevel_)
        decoder_ = Decoder(member(j, "decoder", path), path);
    parseAddedTokens(member(j, "added_tokens", path));
    size_ = model_.idLimit();
    for (const auto& t : addedList_)
        size_ = std::max(size_, t.id + 1);
    resolveSpecial(j, config);
}

bool BpeTokenizer::isBpe(const nlohmann::json& j, std::string* why) {
    auto say = [&](const std::string& s) {
        if (why)
            *why = s;
        return false;
    };
    if (!j.is_object())
        return say("the file is not a JSON object");
    auto m = j.find("model");
    if (m == j.end() || !m->is_object())
        return say("it has no \"model\" object");
    auto type = m->find("type");
    if (type != m->end() && !(type->is_string() && *type == "BPE"))
        return say("its model type is " + type->dump() + ", not BPE (supported: BPE)");
    return true;
}

void BpeTokenizer::parseAddedTokens(const nlohmann::json& list) {
    if (list.is_null())
        return;
    jsonf::array(list, source(), "added_tokens");
    if (static_cast<int64_t>(list.size()) > BpeModel::kMaxEntries)
        jsonf::fail(source(), "added_tokens", "too many entries");
    std::vector<AddedToken> raw, normalized;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "added_tokens[" + std::to_string(i) + "]";
        const auto& e = jsonf::object(list[i], source(), path);
        AddedToken t;
        auto id = e.find("id");
        if (id == e.end())
            jsonf::fail(source(), path, "missing \"id\"");
        t.id = static_cast<int32_t>(
            jsonf::integer(*id, 0, BpeModel::kMaxId - 1, source(), path + ".id"));
        t.content = jsonf::string(e, "content", source(), path);
        if (t.content.empty())
            jsonf::fail(source(), path + ".content", "empty token text");
        if (!utf8::isValid(t.content))
            jsonf::fail(source(), path + ".content", "not well-formed UTF-8");
        t.special = jsonf::boolean(e, "special", false, source(), path);
        t.lstrip = jsonf::boolean(e, "lstrip", false, source(), path);
        t.rstrip = jsonf::boolean(e, "rstrip", false, source(), path);
        t.singleWord = jsonf::boolean(e, "single_word", false, source(), path);
        t.normalized = jsonf::boolean(e, "normalized", !t.special, source(), path);
        if (!addedById_.emplace(t.id, addedList_.size()).second)
            jsonf::fail(source(), path + ".id",
                        "id " + std::to_string(t.id) + " is used by another added token");
        addedByContent_[t.content] = t.id;
        sectionTokens_.emplace(t.content, t.id);
        if (t.normalized && !normalizer_.empty()) {
            AddedToken n = t;
            n.content = normalizer_.apply(t.content);
            if (!n.content.empty()) {
                sectionTokens_.emplace(n.content, t.id);
                normalized.push_back(std::move(n));
            }
        } else {
            raw.push_back(t);
        }
        addedList_.push_back(std::move(t));
    }
    rawAdded_ = AddedTokens(std::move(raw));
    normalizedAdded_ = AddedTokens(std::move(normalized));
}

void BpeTokenizer::resolveSpecial(const nlohmann::json& j, const SpecialTokensConfig& config) {
    auto lookup = [&](const std::optional<std::string>& text) {
        return text ? tokenId(*text) : int32_t(-1);
    };
    special_.bos = lookup(config.bos);
    special_.eos = lookup(config.eos);
    special_.pad = lookup(config.pad);
    special_.unk = config.unkNull ? -1 : (config.unk ? lookup(config.unk) : model_.unkId());
    if (special_.unk < 0 && !config.unkNull)
        special_.unk = model_.unkId();
    bool templateBos = false, templateEos = false;
    if (const auto* tp = templateProcessing(member(j, "post_processor", source()))) {
        // "single": [{"SpecialToken": {"id": "<|begin_of_text|>"}}, {"Sequence": {"id": "A"}}]
        auto single = tp->find("single");
        auto idOf = [&](const nlohmann::json& item) -> int32_t {
            if (!item.is_object() || !item.contains("SpecialToken"))
                return -1;
            const auto& st = item["SpecialToken"];
            if (!st.is_object() || !st.contains("id") || !st["id"].is_string())
                return -1;
            const std::string name = st["id"].get<std::string>();
            auto sts = tp->find("special_tokens");
            if (sts != tp->end() && sts->is_object()) {
                auto entry = sts->find(name);
                if (entry != sts->end() && entry->is_object()) {
                    auto ids = entry->find("ids");
                    if (ids != entry->end() && ids->is_array() && ids->size() == 1 &&
                        (*ids)[0].is_number_integer()) {
                        const auto v = (*ids)[0].get<int64_t>();
                        return v >= 0 && v < size_ ? static_cast<int32_t>(v) : -1;
                    }
                }
            }
            return tokenId(name);
        };
        if (single != tp->end() && single->is_array() && !single->empty()) {
            const int32_t first = idOf(single->front()), last = idOf(single->back());
            if (first >= 0 && (special_.bos < 0 || first == special_.bos)) {
                special_.bos = first;
                templateBos = true;
            }
            if (single->size() > 1 && last >= 0 && (special_.eos < 0 || last == special_.eos)) {
                if (special_.eos < 0)
                    special_.eos = last;
                templateEos = true;
            }
        }
    }
    special_.addBos = config.addBos.value_or(templateBos);
    special_.addEos = config.addEos.value_or(templateEos);
    const std::string cfg = config.configPath.empty() ? source() : config.configPath;
    if (special_.addBos && special_.bos < 0)
        throw Error(cfg, "add_bos_token is true but the BOS token " +
                             (config.bos ? "\"" + *config.bos + "\" is not in the vocabulary"
                                         : std::string("is not set")));
    if (special_.addEos && special_.eos < 0)
        throw Error(cfg, "add_eos_token is true but the EOS token " +
                             (config.eos ? "\"" + *config.eos + "\" is not in the vocabulary"
                                         : std::string("is not set")));
}

void BpeTokenizer::encodeText(const std::string& text, std::vector<int32_t>& out) const {
    std::vector<AddedTokens::Part> parts;
    rawAdded_.split(text, parts);
    for (std::size_t k = 0; k < parts.size(); ++k) {
        if (parts[k].id >= 0)
            out.push_back(parts[k].id);
        else
            encodeSection(parts[k].text, k == 0, out);
    }
}

void BpeTokenizer::encodeSection(std::string_view text, bool first,
                                 std::vector<int32_t>& out) const {
    if (text.empty())
        return;
    if (!sectionTokens_.empty()) {
        auto it = sectionTokens_.find(std::string(text));
        if (it != sectionTokens_.end()) {
            out.push_back(it->second);
            return;
        }
    }
    if (!byteLevel_) {
        // Read malformed bytes as U+FFFD, as a lossy UTF-8 decode of the input would.
        if (utf8::isValid(text))
            return encodeNormalized(std::string(text), first, out);
        std::string clean;
        clean.reserve(text.size() + 8);
        for (std::size_t i = 0; i < text.size();) {
            const std::size_t n = utf8::sequenceLength(text, i);
            if (n == 0) {
                clean += "\xEF\xBF\xBD";
                ++i;
            } else {
                clean.append(text.substr(i, n));
                i += n;
            }
        }
        return encodeNormalized(clean, first, out);
    }
    std::size_t i = 0;
    while (i < text.size()) {
        // A well-formed stretch goes through normalizer, pre-tokenizer and BPE...
        std::size_t end = i;
        while (end < text.size()) {
            const std::size_t n = utf8::sequenceLength(text, end);
            if (n == 0)
                break;
            end += n;
        }
        if (end > i) {
            encodeNormalized(std::string(text.substr(i, end - i)), first && i == 0, out);
            i = end;
        }
        // ...and a malformed byte becomes its byte token.
        if (i < text.size() && utf8::sequenceLength(text, i) == 0)
            model_.encodePiece(text.substr(i++, 1), out);
    }
}

void BpeTokenizer::encodeNormalized(const std::string& text, bool first,
                                    std::vector<int32_t>& out) const {
    const std::string normalized = normalizer_.apply(text);
    if (normalized.empty())
        return;
    std::vector<AddedTokens::Part> parts;
    normalizedAdded_.split(normalized, parts);
    std::vector<std::string> pieces;
    std::vector<int32_t> ids;
    const int32_t unk = model_.unkId();
    for (const auto& part : parts) {
        if (part.id >= 0) {
            out.push_back(part.id);
            continue;
        }
        pieces.clear();
        pre_.split(std::string(part.text), pieces, first);
        ids.clear();
        for (std::size_t k = 0; k < pieces.size(); ++k) {
            if (k % 4096 == 0)
                cancellationPoint(); // a long text: SIGINT / SIGTERM end it within milliseconds
            model_.encodePiece(pieces[k], ids);
        }
        if (model_.fusesUnk() && unk >= 0) {
            // tokenizers.js fuses the unknowns of a whole section, across pre-tokenized pieces.
            bool lastUnk = false;
            for (int32_t id : ids) {
                if (id == unk && lastUnk)
                    continue;
                lastUnk = id == unk;
                out.push_back(id);
            }
        } else {
            out.insert(out.end(), ids.begin(), ids.end());
        }
    }
}

const AddedToken* BpeTokenizer::added(int32_t id) const {
    auto it = addedById_.find(id);
    return it == addedById_.end() ? nullptr : &addedList_[it->second];
}

std::string BpeTokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecial) const {
    if (!byteLevel_) {
        std::vector<std::string> tokens;
        tokens.reserve(ids.size());
        for (int32_t id : ids) {
            checkId(id);
            if (const AddedToken* t = added(id)) {
                if (!(t->special && skipSpecial))
                    tokens.push_back(t->content);
            } else if (const std::string* s = model_.token(id)) {
                tokens.push_back(*s);
            } else if (const std::string* u = model_.token(model_.unkId())) {
                tokens.push_back(*u); // a hole in the vocabulary reads as unk_token
            }
        }
        return decoder_.decode(std::move(tokens));
    }
    std::string out;
    for (int32_t id : ids) {
        checkId(id);
        if (const AddedToken* t = added(id)) {
            if (!(t->special && skipSpecial))
                out += t->content;
        } else if (model_.token(id)) {
            out += model_.bytesOf(id);
        }
    }
    return out;
}

std::string BpeTokenizer::tokenText(int32_t id) const {
    checkId(id);
    if (const AddedToken* t = added(id))
        return t->content;
    if (const std::string* s = model_.token(id))
        return *s;
    return "[PAD" + std::to_string(id) + "]";
}

float BpeTokenizer::tokenScore(int32_t id) const {
    checkId(id);
    if (byteLevel_)
        return 0.f;
    // sentencepiece-style: merged pieces score minus their merge rank, so that a highest-score
    // bigram search (llama.cpp's SPM tokenizer) merges in BPE order.
    const int32_t rank = added(id) ? -1 : model_.mergeRank(id);
    return rank < 0 ? 0.f : -static_cast<float>(rank);
}

TokenType BpeTokenizer::tokenType(int32_t id) const {
    checkId(id);
    if (const AddedToken* t = added(id))
        return t->special ? TokenType::Control : TokenType::UserDefined;
    const std::string* text = model_.token(id);
    if (!text)
        return TokenType::Unused;
    if (id == model_.unkId())
        return TokenType::Unknown;
    if (!byteLevel_ && text->size() == 6 && text->compare(0, 3, "<0x") == 0 && (*text)[5] == '>')
        return TokenType::Byte;
    return TokenType::Normal;
}

int32_t BpeTokenizer::tokenId(const std::string& text) const {
    auto it = addedByContent_.find(text);
    return it != addedByContent_.end() ? it->second : model_.find(text);
}

} // namespace taskquant::tokenize
