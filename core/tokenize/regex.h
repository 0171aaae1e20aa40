#pragma once
// A compiled PCRE2 pattern (UTF + Unicode properties: \p{L}, \s and \w are Unicode-aware) for
// the pre-tokenizers. Matching is bounded: a pattern that backtracks past PCRE2's match limit
// on some input raises taskquant::Error instead of hanging.
// Thread-safety: a compiled Regex is immutable; findAll() may run on many threads at once.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskquant::tokenize {

class Regex {
  public:
    // Compiles `pattern` (a literal string when `literal`). Errors are reported as
    // Error(source, "invalid pre-tokenizer regex ...").
    Regex(const std::string& pattern, const std::string& source, bool literal = false);
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    // Appends the [begin, end) byte ranges of all non-overlapping, non-empty matches in `text`,
    // left to right. `text` must be well-formed UTF-8 (callers split malformed bytes out first).
    void findAll(std::string_view text,
                 std::vector<std::pair<std::size_t, std::size_t>>& out) const;

    const std::string& pattern() const { return pattern_; }

  private:
    std::string pattern_;
    std::string source_;
    void* code_ = nullptr;    // pcre2_code_8
    void* context_ = nullptr; // pcre2_match_context_8 carrying the match limits
    bool jit_ = false;
};

} // namespace taskquant::tokenize
