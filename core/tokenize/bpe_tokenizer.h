#pragma once
// A Hugging Face tokenizer.json byte-level BPE (GPT-2 / Phi-2, Llama 3, Qwen2, SmolLM2, ...).
// Encoding: added tokens are cut out of the raw text first (AddedTokens); each remaining run is
// split into well-formed UTF-8 stretches and single malformed bytes; stretches are normalized
// (null or NFC normalizers), pre-tokenized (PreTokenizer) and BPE-merged (BpeModel); malformed
// bytes are encoded as their byte tokens, so any byte string round-trips. Decoding maps token
// characters back through the byte table; added tokens decode to their content verbatim.
// Special ids: bos/eos/pad/unk token texts from tokenizer_config.json / special_tokens_map.json
// looked up among added tokens and vocabulary; add_bos_token / add_eos_token, or when absent,
// the TemplateProcessing post-processor (Llama 3 adds <|begin_of_text|> there).
// Thread-safety: see Tokenizer.
#include <nlohmann/json_fwd.hpp>
#include <unordered_map>

#include "core/tokenize/added_tokens.h"
#include "core/tokenize/bpe_model.h"
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

    // Reads tokenizer.json from `path`; all errors name it (or the config file they concern).
    BpeTokenizer(const std::string& path, const SpecialTokensConfig& config);
    // Builds from an already parsed tokenizer.json read from `path`.
    BpeTokenizer(const nlohmann::json& j, const std::string& path, const SpecialTokensConfig& config);

    std::string decode(const std::vector<int32_t>& ids, bool skipSpecial = false) const override;
    int32_t vocabSize() const override { return size_; }
    std::string tokenText(int32_t id) const override;
    float tokenScore(int32_t id) const override;
    TokenType tokenType(int32_t id) const override;
    int32_t tokenId(const std::string& text) const override;
    std::vector<std::pair<std::string, std::string>> merges() const override { return model_.merges(); }
    std::string kind() const override { return "bpe"; }
    std::string preTokenizer() const override { return pre_.name(); }
    bool addSpacePrefix() const override { return pre_.addsPrefixSpace(); }

protected:
    void encodeText(const std::string& text, std::vector<int32_t>& out) const override;

private:
    void parseAddedTokens(const nlohmann::json& j);
    void parseNormalizer(const nlohmann::json& spec, const std::string& path);
    void resolveSpecial(const nlohmann::json& j, const SpecialTokensConfig& config);
    void encodePlain(std::string_view text, std::vector<int32_t>& out) const;
    const AddedToken* added(int32_t id) const;

    BpeModel model_;
    PreTokenizer pre_;
    AddedTokens added_;
    std::unordered_map<int32_t, std::size_t> addedById_;
    std::unordered_map<std::string, int32_t> addedByContent_;
    bool nfc_ = false;
    int32_t size_ = 0;
};

} // namespace taskquant::tokenize
