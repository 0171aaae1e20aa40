#pragma once
// The "decoder" of a sentencepiece-style Hugging Face tokenizer.json: turns the token texts of
// a sequence of ids back into text. Steps work on the list of token strings, in order, as
// tokenizers.js (npm @huggingface/tokenizers) runs them:
//   Replace      {pattern: {String|Regex}, content}  in every token
//   ByteFallback  runs of "<0xXX>" tokens become the text of their bytes (malformed UTF-8 as
//                 U+FFFD per maximal ill-formed subsequence, as a WHATWG TextDecoder does)
//   Fuse          joins all tokens into one
//   Strip        {content, start, stop}  removes up to `start` leading and `stop` trailing
//                 `content` characters of every token
//   Metaspace    {replacement}  replacement -> ' ', and one leading ' ' of the first token
//                 dropped
//   Sequence     {decoders: [...]}
// The result is the concatenation of the final list. A null decoder joins the tokens with " "
// (as both Hugging Face implementations do). ByteLevel is handled by the byte-level BPE itself.
// Thread-safety: immutable after construction.
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace taskquant::tokenize {

class Regex;

class Decoder {
  public:
    Decoder() = default;
    // Builds from the "decoder" value of a tokenizer.json. Unsupported or malformed steps throw
    // Error(source, path: ...).
    Decoder(const nlohmann::json& spec, const std::string& source,
            const std::string& path = "decoder");

    std::string decode(std::vector<std::string> tokens) const;
    bool isNull() const { return null_; }

    struct Step {
        enum class Kind { Replace, ByteFallback, Fuse, Strip, Metaspace } kind = Kind::Fuse;
        std::shared_ptr<const Regex> regex; // Replace
        std::string text;        // Replace: content; Strip: content; Metaspace: replacement
        int start = 0, stop = 0; // Strip
    };

  private:
    void parse(const nlohmann::json& spec, const std::string& source, const std::string& path,
               int depth);
    std::vector<Step> steps_;
    bool null_ = true;
};

// Decodes bytes as a WHATWG TextDecoder ("utf-8", not fatal) does: well-formed sequences as
// they are, each maximal ill-formed subsequence as one U+FFFD.
std::string decodeUtf8Lossy(const std::string& bytes);

} // namespace taskquant::tokenize
