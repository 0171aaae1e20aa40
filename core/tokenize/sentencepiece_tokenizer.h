#pragma once
// A sentencepiece tokenizer.model, run by libsentencepiece through the shim module (see
// spm_library.h). The file is read here (at most kMaxFileBytes) and handed over as bytes.
// Special ids: the model's own bos/eos/unk/pad pieces, unless tokenizer_config.json /
// special_tokens_map.json name other pieces. Decoding with skipSpecial == false writes control
// pieces (e.g. "<s>") as their text between the decoded runs.
// Thread-safety: see Tokenizer; calls into sentencepiece are serialised by a mutex.
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/tokenize/special_tokens_config.h"
#include "core/tokenize/tokenizer.h"

struct tq_spm;

namespace taskquant::tokenize {

struct SpmLibrary;

class SentencePieceTokenizer : public Tokenizer {
  public:
    static constexpr std::size_t kMaxFileBytes = std::size_t(256) << 20;

    // Throws Error(modelPath, ...) for an unreadable, oversized or invalid model, and
    // Error(config file, ...) when add_bos_token is set but there is no BOS piece.
    SentencePieceTokenizer(const std::string& modelPath, const SpecialTokensConfig& config);
    ~SentencePieceTokenizer() override;

    std::string decode(const std::vector<int32_t>& ids, bool skipSpecial = false) const override;
    int32_t vocabSize() const override { return size_; }
    std::string tokenText(int32_t id) const override;
    float tokenScore(int32_t id) const override;
    TokenType tokenType(int32_t id) const override;
    int32_t tokenId(const std::string& text) const override;
    std::vector<std::pair<std::string, std::string>> merges() const override { return {}; }
    std::string kind() const override { return "sentencepiece"; }
    std::string preTokenizer() const override { return ""; }
    bool addSpacePrefix() const override { return addDummyPrefix_; }

  protected:
    void encodeText(const std::string& text, std::vector<int32_t>& out) const override;

  private:
    std::string decodeRun(const std::vector<int32_t>& ids) const;

    const SpmLibrary& lib_;
    std::unique_ptr<tq_spm, void (*)(tq_spm*)> owner_;
    tq_spm* handle_ = nullptr;
    int32_t size_ = 0;
    bool addDummyPrefix_ = true;
    std::unordered_map<std::string, int32_t> pieceIds_;
    mutable std::mutex mutex_;
};

} // namespace taskquant::tokenize
