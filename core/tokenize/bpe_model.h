#pragma once
// The "model" of a Hugging Face BPE tokenizer.json: vocabulary, ranked merges and the merge
// loop, as the `tokenizers` library runs it (lowest-ranked adjacent pair first, leftmost on
// ties; `ignore_merges` looks a whole piece up in the vocabulary first; dropout is ignored).
// Two ways a piece starts:
//   byte-level (GPT-2 family): its bytes become the vocabulary entries of their byte-level
//     characters; a byte whose character is missing becomes `unk_token` if there is one, else
//     it is dropped (as Hugging Face does).
//   character-level (sentencepiece-style tokenizer.json): each UTF-8 character is looked up as
//     it is; a missing one takes no part in merges (it separates its neighbours) and then
//     becomes, with `byte_fallback`, its "<0xXX>" byte pieces when the vocabulary has all of
//     them, else `unk_token` (else it is dropped), as tokenizers.js does (Rust `tokenizers`
//     puts the byte pieces in before merging, which differs only for vocabularies with merges
//     of byte pieces). A malformed byte is treated as a missing character. `fuse_unk` is reported
//     by fusesUnk() and applied by the caller over a whole pre-tokenized section, as tokenizers.js
//     does.
// Limits on untrusted files: at most kMaxEntries vocabulary entries and merges, ids below
// kMaxId. Thread-safety: encodePiece() may run on many threads at once (the piece cache is
// locked); everything else is immutable after construction.
#include <array>
#include <cstdint>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace taskquant::tokenize {

class BpeModel {
  public:
    static constexpr int64_t kMaxEntries = 1 << 22;
    static constexpr int64_t kMaxId = 1 << 21;

    // Parses the "model" object of tokenizer.json (type BPE). Errors name `source` and the
    // offending field: wrong types, duplicate ids, merges naming tokens not in the vocabulary.
    BpeModel(const nlohmann::json& model, const std::string& source, bool byteLevel = true);

    // Appends the ids of one pre-tokenized piece given as raw bytes.
    void encodePiece(std::string_view bytes, std::vector<int32_t>& out) const;

    // Vocabulary lookup by token text (byte-level form, e.g. "Ġworld"); -1 if absent.
    int32_t find(const std::string& token) const;
    // One past the largest vocabulary id.
    int32_t idLimit() const { return static_cast<int32_t>(tokens_.size()); }
    // Token text of an id, or nullptr for an id the vocabulary does not use.
    const std::string* token(int32_t id) const;
    // The raw bytes a token stands for (its characters mapped back through the byte table).
    const std::string& bytesOf(int32_t id) const { return bytes_[id]; }
    int32_t unkId() const { return unk_; }
    bool byteLevel() const { return byteLevel_; }
    bool fusesUnk() const { return fuseUnk_; }
    bool byteFallback() const { return byteFallback_; }
    // Rank of the merge that makes token `id`, or -1 for a token no merge makes.
    int32_t mergeRank(int32_t id) const;
    // Merges in rank order, as written in the file.
    const std::vector<std::pair<std::string, std::string>>& merges() const { return merges_; }

  private:
    void parseVocab(const nlohmann::json& vocab, const std::string& source);
    void parseMerges(const nlohmann::json& merges, const std::string& source);
    void mergeSymbols(std::vector<int32_t>& ids) const;
    void initialSymbols(std::string_view bytes, std::vector<int32_t>& ids) const;
    void expandUnknown(std::string_view bytes, std::vector<int32_t>& ids) const;

    std::unordered_map<std::string, int32_t> vocab_;
    std::vector<std::string> tokens_; // by id, "" for unused ids
    std::vector<bool> used_;
    std::vector<std::string> bytes_;                                  // by id
    std::unordered_map<uint64_t, std::pair<int32_t, int32_t>> ranks_; // (a,b) -> (rank, merged)
    std::vector<std::pair<std::string, std::string>> merges_;
    std::array<int32_t, 256> byteIds_{};
    int32_t unk_ = -1;
    std::string missingUnk_; // the error when unk_token names no token and one is needed
    bool ignoreMerges_ = false;
    bool byteLevel_ = true, byteFallback_ = false, fuseUnk_ = false;
    std::unordered_map<int32_t, int32_t> rankOfMerged_; // merged id -> lowest rank making it

    static constexpr std::size_t kCacheLimit = 65536;
    static constexpr std::size_t kCachePieceBytes = 256;
    mutable std::mutex cacheMutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>> cache_;
};

} // namespace taskquant::tokenize
