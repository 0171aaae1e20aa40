#include "core/tokenize/bpe_tokenizer.h"

#include <nlohmann/json.hpp>

#include "core/io/json_file.h"
#include "core/tokenize/json_fields.h"
#include "core/tokenize/nfc.h"
#include "core/util/utf8.h"
#include "core/util/error.h"

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
    if (m.is_null()) jsonf::fail(source, "model", "missing");
    jsonf::object(m, source, "model");
    auto type = m.find("type");
    if (type != m.end() && !(type->is_string() && *type == "BPE"))
        jsonf::fail(source, "model.type", "expected \"BPE\", found " + type->dump());
    return m;
}

// The TemplateProcessing post-processor, directly or inside a Sequence; nullptr if none.
const nlohmann::json* templateProcessing(const nlohmann::json& pp) {
    if (!pp.is_object()) return nullptr;
    auto type = pp.find("type");
    if (type == pp.end() || !type->is_string()) return nullptr;
    if (*type == "TemplateProcessing") return &pp;
    if (*type == "Sequence" && pp.contains("processors") && pp["processors"].is_array())
        for (const auto& p : pp["processors"])
            if (const auto* t = templateProcessing(p)) return t;
    return nullptr;
}

} // namespace

bool BpeTokenizer::isByteLevelBpe(const nlohmann::json& j, std::string* why) {
    auto say = [&](const std::string& s) {
        if (why) *why = s;
        return false;
    };
    if (!j.is_object()) return say("the file is not a JSON object");
    auto m = j.find("model");
    if (m == j.end() || !m->is_object()) return say("it has no \"model\" object");
    auto type = m->find("type");
    if (type != m->end() && !(type->is_string() && *type == "BPE"))
        return say("its model type is " + type->dump() + ", not BPE");
    auto hasByteLevel = [](const nlohmann::json& spec, auto&& self) -> bool {
        if (!spec.is_object()) return false;
        auto t = spec.find("type");
        if (t != spec.end() && *t == "ByteLevel") return true;
        for (const char* list : {"pretokenizers", "decoders"}) {
            auto l = spec.find(list);
            if (l != spec.end() && l->is_array())
                for (const auto& s : *l)
                    if (self(s, self)) return true;
        }
        return false;
    };
    for (const char* key : {"pre_tokenizer", "decoder"}) {
        auto it = j.find(key);
        if (it != j.end() && hasByteLevel(*it, hasByteLevel)) return true;
    }
    return say("it is a BPE without a ByteLevel pre-tokenizer or decoder (a sentencepiece-style "
               "tokenizer.json)");
}

BpeTokenizer::BpeTokenizer(const std::string& path, const SpecialTokensConfig& config)
    : BpeTokenizer(io::readJsonFile(path, kMaxFileBytes), path, config) {}

BpeTokenizer::BpeTokenizer(const nlohmann::json& j, const std::string& path,
                           const SpecialTokensConfig& config)
    : Tokenizer(path), model_(modelOf(j, path), path), pre_(member(j, "pre_tokenizer", path), path) {
    std::string why;
    if (!isByteLevelBpe(j, &why)) throw Error(path, "not a byte-level BPE tokenizer: " + why);
    parseNormalizer(member(j, "normalizer", path), "normalizer");
    parseAddedTokens(member(j, "added_tokens", path));
    size_ = model_.idLimit();
    for (const auto& t : added_.tokens()) size_ = std::max(size_, t.id + 1);
    resolveSpecial(j, config);
}

void BpeTokenizer::parseNormalizer(const nlohmann::json& spec, const std::string& path) {
    if (spec.is_null()) return;
    jsonf::object(spec, source(), path);
    const std::string type = jsonf::string(spec, "type", source(), path);
    if (type == "NFC") {
        nfc_ = true;
    } else if (type == "Sequence") {
        const auto& list = member(spec, "normalizers", source());
        jsonf::array(list, source(), path + ".normalizers");
        for (std::size_t i = 0; i < list.size(); ++i)
            parseNormalizer(list[i], path + ".normalizers[" + std::to_string(i) + "]");
    } else {
        jsonf::fail(source(), path, "unsupported normalizer \"" + type +
                                        "\" for byte-level BPE (supported: null, NFC, Sequence)");
    }
}

void BpeTokenizer::parseAddedTokens(const nlohmann::json& list) {
    if (list.is_null()) return;
    jsonf::array(list, source(), "added_tokens");
    if (static_cast<int64_t>(list.size()) > BpeModel::kMaxEntries)
        jsonf::fail(source(), "added_tokens", "too many entries");
    std::vector<AddedToken> tokens;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "added_tokens[" + std::to_string(i) + "]";
        const auto& e = jsonf::object(list[i], source(), path);
        AddedToken t;
        auto id = e.find("id");
        if (id == e.end()) jsonf::fail(source(), path, "missing \"id\"");
        t.id = static_cast<int32_t>(jsonf::integer(*id, 0, BpeModel::kMaxId - 1, source(), path + ".id"));
        t.content = jsonf::string(e, "content", source(), path);
        if (t.content.empty()) jsonf::fail(source(), path + ".content", "empty token text");
        t.special = jsonf::boolean(e, "special", false, source(), path);
        t.lstrip = jsonf::boolean(e, "lstrip", false, source(), path);
        t.rstrip = jsonf::boolean(e, "rstrip", false, source(), path);
        t.singleWord = jsonf::boolean(e, "single_word", false, source(), path);
        t.normalized = jsonf::boolean(e, "normalized", !t.special, source(), path);
        if (!addedById_.emplace(t.id, tokens.size()).second)
            jsonf::fail(source(), path + ".id", "id " + std::to_string(t.id) + " is used by another added token");
        addedByContent_[t.content] = t.id;
        tokens.push_back(std::move(t));
    }
    added_ = AddedTokens(std::move(tokens));
}

void BpeTokenizer::resolveSpecial(const nlohmann::json& j, const SpecialTokensConfig& config) {
    auto lookup = [&](const std::optional<std::string>& text) {
        return text ? tokenId(*text) : int32_t(-1);
    };
    special_.bos = lookup(config.bos);
    special_.eos = lookup(config.eos);
    special_.pad = lookup(config.pad);
    special_.unk = config.unkNull ? -1 : (config.unk ? lookup(config.unk) : model_.unkId());
    if (special_.unk < 0 && !config.unkNull) special_.unk = model_.unkId();
    bool templateBos = false, templateEos = false;
    if (const auto* tp = templateProcessing(member(j, "post_processor", source()))) {
        // "single": [{"SpecialToken": {"id": "<|begin_of_text|>"}}, {"Sequence": {"id": "A"}}]
        auto single = tp->find("single");
        auto idOf = [&](const nlohmann::json& item) -> int32_t {
            if (!item.is_object() || !item.contains("SpecialToken")) return -1;
            const auto& st = item["SpecialToken"];
            if (!st.is_object() || !st.contains("id") || !st["id"].is_string()) return -1;
            const std::string name = st["id"].get<std::string>();
            auto sts = tp->find("special_tokens");
            if (sts != tp->end() && sts->is_object() && sts->contains(name)) {
                const auto& ids = (*sts)[name]["ids"];
                if (ids.is_array() && ids.size() == 1 && ids[0].is_number_integer()) {
                    const auto v = ids[0].get<int64_t>();
                    return v >= 0 && v < size_ ? static_cast<int32_t>(v) : -1;
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
                if (special_.eos < 0) special_.eos = last;
                templateEos = true;
            }
        }
    }
    special_.addBos = config.addBos.value_or(templateBos);
    special_.addEos = config.addEos.value_or(templateEos);
    const std::string cfg = config.configPath.empty() ? source() : config.configPath;
    if (special_.addBos && special_.bos < 0)
        throw Error(cfg, "add_bos_token is true but the BOS token " +
                             (config.bos ? "\"" + *config.bos + "\" is not in the vocabulary" : std::string("is not set")));
    if (special_.addEos && special_.eos < 0)
        throw Error(cfg, "add_eos_token is true but the EOS token " +
                             (config.eos ? "\"" + *config.eos + "\" is not in the vocabulary" : std::string("is not set")));
}

void BpeTokenizer::encodeText(const std::string& text, std::vector<int32_t>& out) const {
    std::vector<AddedTokens::Part> parts;
    added_.split(text, parts);
    for (const auto& part : parts) {
        if (part.id >= 0) out.push_back(part.id);
        else encodePlain(part.text, out);
    }
}

void BpeTokenizer::encodePlain(std::string_view text, std::vector<int32_t>& out) const {
    std::vector<std::string> pieces;
    std::size_t i = 0;
    while (i < text.size()) {
        // A well-formed stretch goes through normalizer, pre-tokenizer and BPE...
        std::size_t end = i;
        while (end < text.size()) {
            const std::size_t n = utf8::sequenceLength(text, end);
            if (n == 0) break;
            end += n;
        }
        if (end > i) {
            std::string stretch(text.substr(i, end - i));
            if (nfc_) stretch = nfc(stretch);
            pieces.clear();
            pre_.split(stretch, pieces);
            for (const auto& p : pieces) model_.encodePiece(p, out);
            i = end;
        }
        // ...and a malformed byte becomes its byte token.
        if (i < text.size() && utf8::sequenceLength(text, i) == 0) model_.encodePiece(text.substr(i++, 1), out);
    }
}

const AddedToken* BpeTokenizer::added(int32_t id) const {
    auto it = addedById_.find(id);
    return it == addedById_.end() ? nullptr : &added_.tokens()[it->second];
}

std::string BpeTokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecial) const {
    std::string out;
    for (int32_t id : ids) {
        checkId(id);
        if (const AddedToken* t = added(id)) {
            if (!(t->special && skipSpecial)) out += t->content;
        } else if (model_.token(id)) {
            out += model_.bytesOf(id);
        }
    }
    return out;
}

std::string BpeTokenizer::tokenText(int32_t id) const {
    checkId(id);
    if (const AddedToken* t = added(id)) return t->content;
    if (const std::string* s = model_.token(id)) return *s;
    return "[PAD" + std::to_string(id) + "]";
}

float BpeTokenizer::tokenScore(int32_t id) const {
    checkId(id);
    return 0.f;
}

TokenType BpeTokenizer::tokenType(int32_t id) const {
    checkId(id);
    if (const AddedToken* t = added(id)) return t->special ? TokenType::Control : TokenType::UserDefined;
    if (!model_.token(id)) return TokenType::Unused;
    return id == model_.unkId() ? TokenType::Unknown : TokenType::Normal;
}

int32_t BpeTokenizer::tokenId(const std::string& text) const {
    auto it = addedByContent_.find(text);
    return it != addedByContent_.end() ? it->second : model_.find(text);
}

} // namespace taskquant::tokenize
