#pragma once
// UTF-8 for untrusted text and the tokenizers. Validation follows RFC 3629 (no overlong forms,
// no UTF-16 surrogates, nothing above U+10FFFF), the same rules PCRE2 applies. Pure functions,
// thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

namespace taskquant::utf8 {

// Length (1..4) of the well-formed sequence starting at s[i], or 0 if the bytes there are not
// well-formed UTF-8 (a lone continuation byte, a truncated or overlong sequence, ...) or i is
// at or past the end.
std::size_t sequenceLength(std::string_view s, std::size_t i);

// Decodes the well-formed sequence at s[i] and advances i past it; at a byte that does not
// start one, returns U+FFFD and advances i by one byte.
char32_t decode(std::string_view s, std::size_t& i);

// Appends the UTF-8 encoding of a code point (<= U+10FFFF).
void append(std::string& out, char32_t cp);

// True when all of `s` is well-formed UTF-8. On failure, *badOffset (if given) is the byte
// offset of the first byte of the first invalid sequence.
bool isValid(std::string_view s, std::size_t* badOffset = nullptr);

// Number of code points in valid UTF-8 text (bytes that are not continuation bytes).
std::size_t length(std::string_view s);

} // namespace taskquant::utf8
