#pragma once
// The "normalizer" of a Hugging Face tokenizer.json, applied to text before pre-tokenization.
// Supported types (as the `tokenizers` library and tokenizers.js define them):
//   Prepend  {prepend}          puts `prepend` in front of non-empty text
//   Replace  {pattern: {String|Regex}, content}  replaces every (non-empty) match
//   NFC, NFKC                   Unicode normalization forms (see nfc.h)
//   Sequence {normalizers: [...]}
// null means no normalization. Unsupported or malformed steps throw Error(source, path: ...).
// Thread-safety: immutable after construction; apply() may run on many threads at once.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace taskquant::tokenize {

class Regex;

class Normalizer {
  public:
    Normalizer() = default;
    // Builds from the "normalizer" value of a tokenizer.json; `path` names it in errors.
    Normalizer(const nlohmann::json& spec, const std::string& source,
               const std::string& path = "normalizer");

    // Normalizes well-formed UTF-8 text (empty text stays empty). A normalizer that grows the
    // text past kMaxGrowth times its size (+ 4 KiB), e.g. Replace "a" -> "aa" repeated, throws
    // Error naming the tokenizer file and the step instead of exhausting memory.
    static constexpr std::size_t kMaxGrowth = 64;
    std::string apply(const std::string& text) const;
    // Whether there is no step at all (the text is used as it is).
    bool empty() const { return steps_.empty(); }
    // Whether the first step prepends something (a sentencepiece "dummy prefix").
    bool prepends() const;

    struct Step {
        enum class Kind { Prepend, Replace, Nfc, Nfkc } kind = Kind::Nfc;
        std::string text;                   // Prepend: the prefix; Replace: the content
        std::shared_ptr<const Regex> regex; // Replace
    };

  private:
    void parse(const nlohmann::json& spec, const std::string& source, const std::string& path,
               int depth);
    std::vector<Step> steps_;
    std::string source_;
};

} // namespace taskquant::tokenize
