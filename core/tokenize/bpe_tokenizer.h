#pragma once
// A Hugging Face tokenizer.json BPE, of one of two kinds:
//   byte-level (kind() "bpe": GPT-2 / Phi-2, Llama 3, Qwen2, SmolLM2, ...): a ByteLevel
//     pre-tokenizer or decoder. Malformed input bytes are encoded as their byte tokens, so any
//     byte string round-trips (given all 256 byte tokens: SmolLM2's vocabulary lacks 21, and
//     those bytes are dropped, as Hugging Face drops them when the model has no unk_token).
//     Decoding maps token characters back through the byte table; added tokens decode to their
//     content verbatim.
//   sentencepiece-style (kind() "sentencepiece": Llama 2 derivatives, TinyLlama, Mistral,
//     TinyStories): no ByteLevel step; pieces written with "▁", usually a Prepend / Replace
//     normalizer or a Metaspace pre-tokenizer, BPE with byte_fallback / fuse_unk / unk_token
//     (see BpeModel). Malformed input bytes are read as U+FFFD (as a lossy UTF-8 decode does).
//     Decoding runs the file's decoder (see decoder.h) over the token texts.
// Encoding, as tokenizers.js does it: the added tokens that are not `normalized` are cut out of
// the raw text first (AddedTokens); each remaining section is normalized (normalizer.h), the
// `normalized` added tokens (their content normalized likewise) are cut out of the result, and
// the rest is pre-tokenized (PreTokenizer) and BPE-merged (BpeModel). A section whose whole
// text is an added token's content is that token. Without a normalizer all added tokens are
// matched on the raw text.
// Special ids: bos/eos/pad/unk token texts from tokenizer_config.json / special_tokens_map.json
// looked up among added tokens and vocabulary; add_bos_token / add_eos_token, or when absent,
// the TemplateProcessing post-processor (Llama 3 adds <|begin_of_text|> there).
// Thread-safety: see Tokenizer.
#include <nlohmann/json_fwd.hpp>
#include <unordered_map>

#include "core/tokenize/added_tokens.h"
#include "core/tokenize/bpe_model.h"
#include "core/tokenize/decoder.h"
#include "core/tokenize/normalizer.h"
#include "core/tokenize/pre_tokenizer.h"
#include "core/tokenize/special_tokens_config.h"
#include "core/tokenize/tokenizer.h"

namespace taskquant::tokenize {

class BpeTokenizer : public Tokenizer {
  public:
    static constexpr std::size_t kMaxFileBytes = std::size_t(256) << 20;

    // Whether a parsed tokenizer.json is a byte-level BPE (model type BPE with a ByteLevel
    // pre-tokenizer or decoder); if not, *why says what it is instead.
    static bool isByteLevelBpe(const nlohmann::json& j, std::string* why);
    // Whether a parsed tokenizer.json is a BPE at all (either kind); if not, *why says why.
    static bool isBpe(const nlohmann::json& j, std::string* why);

    // Reads tokenizer.json from `path`; all errors name it (or the config file they concern).
    BpeTokenizer(const std::string& path, const SpecialTokensConfig& config);
    // Builds from an already parsed tokenizer.json read from `path`.
    BpeTokenizer(const nlohmann::json& j, const std::string& path,
                 const SpecialTokensConfig& config);

    std::string decode(const std::vector<int32_t>& ids, bool skipSpecial = false) const override;
    int32_t vocabSize() const override { return size_; }
    std::string tokenText(int32_t id) const override;
    float tokenScore(int32_t id) const override;
    TokenType tokenType(int32_t id) const override;
    int32_t tokenId(const std::string& text) const override;
    std::vector<std::pair<std::string, std::string>> merges() const override {
        return model_.merges();
    }
    std::string kind() const override { return byteLevel_ ? "bpe" : "sentencepiece"; }
    std::string preTokenizer() const override { return byteLevel_ ? pre_.name() : std::string(); }
    bool addSpacePrefix() const override {
        return normalizer_.prepends() || pre_.addsPrefixSpace();
    }
    // Whether this is the byte-level kind.
    bool byteLevel() const { return byteLevel_; }

  protected:
    void encodeText(const std::string& text, std::vector<int32_t>& out) const override;

  private:
    void parseAddedTokens(const nlohmann::json& j);
    void resolveSpecial(const nlohmann::json& j, const SpecialTokensConfig& config);
    void encodeSection(std::string_view text, bool first, std::vector<int32_t>& out) const;
    void encodeNormalized(const std::string& text, bool first, std::vector<int32_t>& out) const;
    const AddedToken* added(int32_t id) const;

    bool byteLevel_ = true;
    BpeModel model_;
    PreTokenizer pre_;
    Normalizer normalizer_;
    Decoder decoder_;
    std::vector<AddedToken> addedList_;
    AddedTokens rawAdded_, normalizedAdded_;
    std::unordered_map<int32_t, std::size_t> addedById_;
    std::unordered_map<std::string, int32_t> addedByContent_;
    std::unordered_map<std::string, int32_t> sectionTokens_; // whole-section matches
    int32_t size_ = 0;
};

} // namespace taskquant::tokenize
