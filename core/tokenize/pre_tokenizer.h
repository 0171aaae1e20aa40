#pragma once
// The pre-tokenizer of a Hugging Face tokenizer.json byte-level BPE: splits (normalized) text
// into the pieces BPE runs on, as the `tokenizers` library does. Supported step types:
//   ByteLevel {add_prefix_space, use_regex}  (use_regex: GPT-2's split pattern)
//   Split     {pattern: {Regex|String}, behavior: Isolated|Removed|MergedWithPrevious|
//              MergedWithNext|Contiguous, invert}  (the regex taken as written, through PCRE2)
//   Digits    {individual_digits}
//   Metaspace {replacement, prepend_scheme: always|first|never (or the legacy add_prefix_space:
//              true = always, false = never), split}  (sentencepiece-style: ' ' -> replacement,
//              the replacement prepended where the scheme says and the piece does not start
//              with it, then, with split (default true), split before each replacement as
//              Hugging Face's `tokenizers` does; tokenizers.js 0.2 never splits)
//   Sequence  {pretokenizers: [...]}
// Pieces keep the raw bytes; the byte-to-unicode mapping happens in the BPE model.
// Thread-safety: immutable after construction; split() may run on many threads at once.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace taskquant::tokenize {

class Regex;

class PreTokenizer {
  public:
    // Hugging Face's split patterns, as written in GPT-2's code and in the Llama 3 / Qwen2
    // tokenizer.json files.
    static const char* const kGpt2Pattern;
    static const char* const kLlama3Pattern;
    static const char* const kQwen2Pattern;

    // Builds from the "pre_tokenizer" value of a tokenizer.json (null = no splitting).
    // Unsupported or malformed steps throw Error(source, ...).
    PreTokenizer(const nlohmann::json& spec, const std::string& source);
    ~PreTokenizer();
    PreTokenizer(const PreTokenizer&) = delete;
    PreTokenizer& operator=(const PreTokenizer&) = delete;

    // Splits well-formed UTF-8 text into pieces (appended to out, never empty strings).
    // firstSection: whether the text starts the input (Metaspace's "first" prepend scheme).
    void split(const std::string& text, std::vector<std::string>& out,
               bool firstSection = true) const;

    // Whether a ByteLevel step is present (what makes the tokenizer byte-level).
    bool hasByteLevel() const { return hasByteLevel_; }
    // Whether ByteLevel prepends a space to pieces that lack one (or Metaspace its
    // replacement).
    bool addsPrefixSpace() const;
    // The known family of this pre-tokenizer: "gpt2", "llama3", "qwen2", "smollm", or
    // "custom" when the steps match none of them.
    std::string name() const;

    enum class Behavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous };
    struct Step {
        enum class Kind { ByteLevel, Split, Metaspace } kind = Kind::Split;
        std::shared_ptr<const Regex> regex; // Split, or ByteLevel with use_regex
        Behavior behavior = Behavior::Isolated;
        bool invert = false;
        bool addPrefixSpace = false; // ByteLevel; Metaspace: prepend scheme not never
        bool firstOnly = false;      // Metaspace prepend scheme "first"
        bool split = true;           // Metaspace
        std::string replacement;     // Metaspace
        std::string origin;          // "ByteLevel", "Split", "Digits" (for name())
    };

  private:
    void parse(const nlohmann::json& spec, const std::string& path);

    std::vector<Step> steps_;
    std::string source_;
    bool hasByteLevel_ = false;
};

} // namespace taskquant::tokenize
