#pragma once
// UTF-8 helpers for the tokenizers. Validation follows RFC 3629 (no overlong forms, no
// surrogates, nothing above U+10FFFF), the same rules PCRE2 applies. Pure functions,
// thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

namespace taskquant::tokenize::utf8 {

// Length (1..4) of the well-formed sequence starting at s[i], or 0 if the bytes there are not
// well-formed UTF-8 (a lone continuation byte, a truncated or overlong sequence, ...).
std::size_t sequenceLength(std::string_view s, std::size_t i);

// Decodes the well-formed sequence at s[i] (check sequenceLength first) and advances i.
char32_t decode(std::string_view s, std::size_t& i);

// Appends the UTF-8 encoding of a code point (<= U+10FFFF).
void append(std::string& out, char32_t cp);

// Whether all of s is well-formed UTF-8.
bool isValid(std::string_view s);

} // namespace taskquant::tokenize::utf8
