#include "core/tokenize/bpe_model.h"

#include <nlohmann/json.hpp>
#include <queue>

#include "core/tokenize/byte_level.h"
#include "core/tokenize/json_fields.h"
#include "core/util/error.h"
#include "core/util/utf8.h"

namespace taskquant::tokenize {
namespace {

uint64_t pairKey(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

std::string shown(const std::string& s) {
    return "\"" + (s.size() > 64 ? s.substr(0, 64) + "..." : s) + "\"";
}

} // namespace

BpeModel::BpeModel(const nlohmann::json& model, const std::string& source, bool byteLevel)
    : byteLevel_(byteLevel) {
    jsonf::object(model, source, "model");
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
        auto it = model.find(key);
        if (it != model.end() && !it->is_null() &&
            !(it->is_string() && it->get<std::string>().empty()))
            jsonf::fail(source, std::string("model.") + key,
                        "not supported (expected null or \"\")");
    }
    ignoreMerges_ = jsonf::boolean(model, "ignore_merges", false, source, "model");
    byteFallback_ = jsonf::boolean(model, "byte_fallback", false, source, "model");
    fuseUnk_ = jsonf::boolean(model, "fuse_unk", false, source, "model");
    auto vocab = model.find("vocab");
    if (vocab == model.end())
        jsonf::fail(source, "model", "missing \"vocab\"");
    parseVocab(*vocab, source);
    auto merges = model.find("merges");
    if (merges != model.end() && !merges->is_null())
        parseMerges(*merges, source);
    static const char* const hex = "0123456789ABCDEF";
    for (int b = 0; b < 256; ++b)
        byteIds_[b] = byteLevel_ ? find(bytelevel::encode(std::string(1, static_cast<char>(b))))
                      : byteFallback_ ? find(std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">")
                                      : -1;
    auto unk = model.find("unk_token");
    if (unk != model.end() && !unk->is_null()) {
        if (!unk->is_string())
            jsonf::fail(source, "model.unk_token", "expected a string or null");
        unk_ = find(unk->get<std::string>());
        if (unk_ < 0) {
            // Hugging Face raises when such a text meets a character without a token; it was
            // dropped silently here.
            missingUnk_ = source + ": model.unk_token \"" + unk->get<std::string>() +
                          "\" is not in the vocabulary, and the text holds a character without "
                          "a token (Hugging Face tokenizers raises here too)";
        }
    }
}

void BpeModel::parseVocab(const nlohmann::json& vocab, const std::string& source) {
    jsonf::object(vocab, source, "model.vocab");
    if (vocab.empty())
        jsonf::fail(source, "model.vocab", "the vocabulary is empty");
    if (static_cast<int64_t>(vocab.size()) > kMaxEntries)
        jsonf::fail(source, "model.vocab", "more than " + std::to_string(kMaxEntries) + " entries");
    int64_t maxId = -1;
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        const auto& v = it.value();
        const bool ok = v.is_number_unsigned() ? v.get<uint64_t>() < uint64_t(kMaxId)
                                               : v.is_number_integer() && v.get<int64_t>() >= 0 &&
                                                     v.get<int64_t>() < kMaxId;
        if (!ok) // let the checker word the problem
            jsonf::integer(v, 0, kMaxId - 1, source, "model.vocab[" + shown(it.key()) + "]");
        maxId = std::max(maxId, v.get<int64_t>());
    }
    tokens_.assign(static_cast<std::size_t>(maxId + 1), std::string());
    used_.assign(tokens_.size(), false);
    vocab_.reserve(vocab.size());
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        const auto id = it.value().get<int32_t>();
        if (used_[id])
            jsonf::fail(source, "model.vocab",
                        "id " + std::to_string(id) + " is used by both " + shown(tokens_[id]) +
                            " and " + shown(it.key()));
        used_[id] = true;
        tokens_[id] = it.key();
        vocab_.emplace(it.key(), id);
    }
    bytes_.resize(tokens_.size());
    for (std::size_t id = 0; id < tokens_.size(); ++id)
        if (used_[id])
            bytes_[id] = byteLevel_ ? bytelevel::decode(tokens_[id]) : tokens_[id];
}

void BpeModel::parseMerges(const nlohmann::json& merges, const std::string& source) {
    jsonf::array(merges, source, "model.merges");
    if (static_cast<int64_t>(merges.size()) > kMaxEntries)
        jsonf::fail(source, "model.merges", "more than " + std::to_string(kMaxEntries) + " merges");
    merges_.reserve(merges.size());
    ranks_.reserve(merges.size());
    auto path = [](std::size_t i) { return "model.merges[" + std::to_string(i) + "]"; };
    for (std::size_t i = 0; i < merges.size(); ++i) {
        const auto& m = merges[i];
        std::string a, b;
        if (m.is_string()) { // "a b"
            const auto& s = m.get_ref<const std::string&>();
            const auto space = s.find(' ');
            if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                jsonf::fail(source, path(i),
                            "expected two tokens separated by one space, found " + shown(s));
            a.assign(s, 0, space);
            b.assign(s, space + 1, std::string::npos);
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            a = m[0].get_ref<const std::string&>();
            b = m[1].get_ref<const std::string&>();
        } else {
            jsonf::fail(source, path(i), "expected \"a b\" or [\"a\", \"b\"]");
        }
        const int32_t ia = find(a), ib = find(b);
        if (ia < 0)
            jsonf::fail(source, path(i), "token " + shown(a) + " is not in model.vocab");
        if (ib < 0)
            jsonf::fail(source, path(i), "token " + shown(b) + " is not in model.vocab");
        const int32_t merged = find(a + b);
        if (merged < 0)
            jsonf::fail(source, path(i), "token " + shown(a + b) + " is not in model.vocab");
        // Later duplicates replace earlier ones, as in Hugging Face's merge map.
        ranks_[pairKey(ia, ib)] = {static_cast<int32_t>(i), merged};
        rankOfMerged_.emplace(merged, static_cast<int32_t>(i));
        merges_.emplace_back(std::move(a), std::move(b));
    }
}

int32_t BpeModel::find(const std::string& token) const {
    auto it = vocab_.find(token);
    return it == vocab_.end() ? -1 : it->second;
}

const std::string* BpeModel::token(int32_t id) const {
    if (id < 0 || id >= idLimit() || !used_[id])
        return nullptr;
    return &tokens_[id];
}

void BpeModel::encodePiece(std::string_view bytes, std::vector<int32_t>& out) const {
    const bool cacheable = bytes.size() <= kCachePieceBytes;
    std::string key;
    if (cacheable) {
        key.assign(bytes);
        std::lock_guard<std::mutex> lock(cacheMutex_);
        auto it = cache_.find(key);
        if (it != cache_.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids;
    const int32_t whole =
        ignoreMerges_ ? find(byteLevel_ ? bytelevel::encode(bytes) : std::string(bytes)) : -1;
    if (whole >= 0) {
        ids.push_back(whole);
    } else {
        initialSymbols(bytes, ids);
        mergeSymbols(ids);
        if (!byteLevel_)
            expandUnknown(bytes, ids);
    }
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        if (cache_.size() >= kCacheLimit)
            cache_.clear();
        cache_.emplace(std::move(key), std::move(ids));
    }
}

int32_t BpeModel::mergeRank(int32_t id) const {
    auto it = rankOfMerged_.find(id);
    return it == rankOfMerged_.end() ? -1 : it->second;
}

void BpeModel::initialSymbols(std::string_view bytes, std::vector<int32_t>& ids) const {
    ids.reserve(bytes.size());
    if (byteLevel_) {
        for (char c : bytes) {
            const int32_t id = byteIds_[static_cast<unsigned char>(c)];
            if (id >= 0)
                ids.push_back(id);
            else if (unk_ >= 0)
                ids.push_back(unk_);
            else if (!missingUnk_.empty())
                throw Error(missingUnk_);
        }
        return;
    }
    // Characters without a piece stay as placeholders (negative ids, which no merge pairs)
    // while merging, and are expanded afterwards (see expandUnknown), as tokenizers.js does.
    std::string ch;
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = std::max<std::size_t>(1, utf8::sequenceLength(bytes, i));
        const bool wellFormed = utf8::sequenceLength(bytes, i) != 0;
        ch.assign(bytes.substr(i, n));
        const int32_t id = wellFormed ? find(ch) : -1;
        ids.push_back(id >= 0 ? id : -1 - static_cast<int32_t>(i));
        i += n;
    }
}

void BpeModel::expandUnknown(std::string_view bytes, std::vector<int32_t>& ids) const {
    std::vector<int32_t> out;
    out.reserve(ids.size());
    for (int32_t id : ids) {
        if (id >= 0) {
            out.push_back(id);
            continue;
        }
        const std::size_t at = static_cast<std::size_t>(-1 - id);
        const std::size_t n = std::max<std::size_t>(1, utf8::sequenceLength(bytes, at));
        const std::string_view ch = bytes.substr(at, n);
        bool all = byteFallback_;
        for (char c : ch)
            all = all && byteIds_[static_cast<unsigned char>(c)] >= 0;
        if (all) {
            for (char c : ch)
                out.push_back(byteIds_[static_cast<unsigned char>(c)]);
        } else if (unk_ >= 0) {
            out.push_back(unk_);
        } else if (!missingUnk_.empty()) {
            throw Error(missingUnk_);
        }
    }
    ids.swap(out);
}

void BpeModel::mergeSymbols(std::vector<int32_t>& ids) const {
    const auto n = static_cast<int32_t>(ids.size());
    if (n < 2 || ranks_.empty())
        return;
    struct Symbol {
        int32_t id, prev, next;
        bool alive;
    };
    struct Candidate {
        int32_t rank, pos, merged;
        bool operator>(const Candidate& o) const {
            return rank != o.rank ? rank > o.rank : pos > o.pos;
        }
    };
    std::vector<Symbol> sym(n);
    for (int32_t i = 0; i < n; ++i)
        sym[i] = {ids[i], i - 1, i + 1 < n ? i + 1 : -1, true};
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    auto consider = [&](int32_t pos) {
        if (pos < 0 || sym[pos].next < 0)
            return;
        auto it = ranks_.find(pairKey(sym[pos].id, sym[sym[pos].next].id));
        if (it != ranks_.end())
            queue.push({it->second.first, pos, it->second.second});
    };
    for (int32_t i = 0; i + 1 < n; ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        Symbol& s = sym[c.pos];
        if (!s.alive || s.next < 0)
            continue;
        auto it = ranks_.find(pairKey(s.id, sym[s.next].id));
        if (it == ranks_.end() || it->second.first != c.rank || it->second.second != c.merged)
            continue; // stale: one side was merged since this candidate was queued
        Symbol& right = sym[s.next];
        s.id = c.merged;
        right.alive = false;
        s.next = right.next;
        if (s.next >= 0)
            sym[s.next].prev = c.pos;
        consider(s.prev);
        consider(c.pos);
    }
    ids.clear();
    for (int32_t i = 0; i >= 0; i = sym[i].next)
        ids.push_back(sym[i].id);
}

} // namespace taskquant::tokenize
