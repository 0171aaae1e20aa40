#pragma once
// UTF-8 helpers for untrusted text: strict validation (no overlong forms, no surrogates,
// nothing above U+10FFFF) and code point counting. Pure functions, thread-safe.
#include <cstddef>
#include <string_view>

namespace taskquant::data {

// True when `s` is well-formed UTF-8. On failure, *badOffset (if given) is the byte offset
// of the first byte of the invalid sequence.
bool isValidUtf8(std::string_view s, std::size_t* badOffset = nullptr);

// Number of code points in valid UTF-8 text (bytes that are not continuation bytes).
std::size_t utf8Length(std::string_view s);

} // namespace taskquant::data
