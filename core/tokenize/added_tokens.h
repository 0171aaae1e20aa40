#pragma once
// The added tokens of a tokenizer.json ("added_tokens": special tokens such as <|endoftext|>
// and user-defined ones) and the split that takes them out of the text before normalization
// and pre-tokenization, as Hugging Face's AddedVocabulary does: leftmost-longest matches on the
// raw text; `lstrip` / `rstrip` swallow neighbouring (ASCII) whitespace into the match;
// `single_word` matches only when not inside a word.
// Thread-safety: immutable after construction; split() may run on many threads at once.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taskquant::tokenize {

struct AddedToken {
    std::string content;
    int32_t id = -1;
    bool special = false;
    bool lstrip = false, rstrip = false, singleWord = false, normalized = false;
};

class AddedTokens {
  public:
    struct Part {
        std::string_view text; // the text of the part (for a token: the matched span)
        int32_t id;            // the added token's id, or -1 for plain text
    };

    AddedTokens() = default;
    explicit AddedTokens(std::vector<AddedToken> tokens);

    // Cuts text into plain parts and added-token parts, in order. Parts view into `text`.
    void split(std::string_view text, std::vector<Part>& out) const;

    const std::vector<AddedToken>& tokens() const { return tokens_; }
    bool empty() const { return tokens_.empty(); }

  private:
    // Index of the token matching at text[i] (longest first), or -1.
    int match(std::string_view text, std::size_t i) const;

    std::vector<AddedToken> tokens_;
    std::array<std::vector<int>, 256> byFirstByte_; // token indices, longest content first
};

} // namespace taskquant::tokenize
