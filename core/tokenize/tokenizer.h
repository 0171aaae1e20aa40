#pragma once
// A text tokenizer of a model directory, with everything a GGUF exporter needs to embed the
// vocabulary (token texts, scores, types, merges, special ids, pre-tokenizer family).
//
//   sentencepiece (kind() == "sentencepiece"): tokenizer.model through libsentencepiece,
//     loaded at run time from the shim module (see spm_library.h); or a sentencepiece-style
//     Hugging Face tokenizer.json (BPE over "▁" pieces with byte fallback, Prepend / Replace
//     normalizers or a Metaspace pre-tokenizer; see bpe_tokenizer.h) when the directory has
//     no tokenizer.model. Where both files exist, tokenizer.model is used.
//   byte-level BPE (kind() == "bpe"): a Hugging Face tokenizer.json (GPT-2 / Phi-2, Llama 3,
//     Qwen2, SmolLM2 pre-tokenizers; added and special tokens); always preferred over a
//     tokenizer.model beside it.
//
// Special tokens come from tokenizer_config.json and special_tokens_map.json (see
// special_tokens_config.h); encode(text, true) adds BOS when `add_bos_token` is true (or, for a
// tokenizer.json without that key, when its TemplateProcessing post-processor starts with BOS;
// for a bare tokenizer.model: when the model has a BOS piece, as LlamaTokenizer does) and EOS
// likewise with `add_eos_token`.
//
// Thread-safety: all methods are const and may be called from many threads at once.
// Errors: taskquant::Error naming the file (loading) or the problem (decode of a bad id).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace taskquant::tokenize {

// Token types, numbered as sentencepiece and GGUF (tokenizer.ggml.token_type) number them.
enum class TokenType : int32_t {
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

struct SpecialIds {
    int32_t bos = -1, eos = -1, pad = -1, unk = -1; // -1: none
    bool addBos = false, addEos = false;
};

class Tokenizer {
  public:
    virtual ~Tokenizer() = default;

    // Token ids of UTF-8 text (malformed bytes are never rejected: byte-level BPE and
    // sentencepiece encode them as bytes, a sentencepiece-style tokenizer.json reads them as
    // U+FFFD). With
    // addSpecial, BOS / EOS are added as configured (see above). Special-token texts written in
    // the text (e.g. "<|endoftext|>") become their ids, as Hugging Face does by default.
    std::vector<int32_t> encode(const std::string& text, bool addSpecial = true) const;
    // Text of ids. skipSpecial drops special (control) tokens; otherwise they appear as their
    // text. An id outside [0, vocabSize()) throws Error.
    virtual std::string decode(const std::vector<int32_t>& ids, bool skipSpecial = false) const = 0;

    // Number of token ids (one past the largest id; ids in between that no token uses have
    // type Unused).
    virtual int32_t vocabSize() const = 0;
    int32_t bosId() const { return special_.bos; }
    int32_t eosId() const { return special_.eos; }
    int32_t padId() const { return special_.pad; }
    int32_t unkId() const { return special_.unk; }
    bool addsBos() const { return special_.addBos; }
    bool addsEos() const { return special_.addEos; }

    // The token as the tokenizer file writes it: sentencepiece pieces ("▁the", "<0x0A>"),
    // byte-level BPE strings ("Ġthe", "Ċ"), added tokens verbatim. An id no token uses gives
    // "[PAD<id>]" (what llama.cpp's converter writes for holes). Out-of-range ids throw Error.
    virtual std::string tokenText(int32_t id) const = 0;
    // sentencepiece score; 0 for BPE tokens.
    virtual float tokenScore(int32_t id) const = 0;
    virtual TokenType tokenType(int32_t id) const = 0;
    // Id of a token given as its text (as tokenText() writes it), or -1.
    virtual int32_t tokenId(const std::string& text) const = 0;
    // BPE merges in rank order; empty for a tokenizer.model.
    virtual std::vector<std::pair<std::string, std::string>> merges() const = 0;

    // "sentencepiece" or "bpe".
    virtual std::string kind() const = 0;
    // BPE pre-tokenizer family: "gpt2", "llama3", "qwen2", "smollm" or "custom"; "" for
    // sentencepiece.
    virtual std::string preTokenizer() const = 0;
    // Whether a space is put in front of the text before tokenizing (sentencepiece's
    // add_dummy_prefix, ByteLevel's add_prefix_space).
    virtual bool addSpacePrefix() const = 0;
    // The file the tokenizer was read from.
    const std::string& source() const { return source_; }

  protected:
    explicit Tokenizer(std::string source) : source_(std::move(source)) {}
    // Ids of text without BOS/EOS.
    virtual void encodeText(const std::string& text, std::vector<int32_t>& out) const = 0;
    // Throws Error(source(), ...) unless 0 <= id < vocabSize().
    void checkId(int32_t id) const;

    SpecialIds special_;

  private:
    std::string source_;
};

// Loads the tokenizer of a model directory: tokenizer.json when it is a byte-level BPE, else
// tokenizer.model, else a sentencepiece-style tokenizer.json; `path` may also name one of
// those files directly. Throws Error listing what
// was looked for when neither is usable.
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path);

} // namespace taskquant::tokenize
