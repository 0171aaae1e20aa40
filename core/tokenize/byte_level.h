#pragma once
// GPT-2's byte-to-unicode table, as Hugging Face's ByteLevel pre-tokenizer and decoder use it:
// printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves, the other 68 bytes
// to U+0100.. in byte order (so ' ' becomes 'Ġ' U+0120 and '\n' becomes 'Ċ' U+010A).
// Pure functions over a constant table; thread-safe.
#include <string>
#include <string_view>

namespace taskquant::tokenize::bytelevel {

// The code point byte b is shown as.
char32_t toCodepoint(unsigned char b);
// The byte a code point stands for, or -1 if it is not one of the 256 table entries.
int toByte(char32_t cp);
// Maps every byte of `bytes` to its code point, as UTF-8.
std::string encode(std::string_view bytes);
// Inverse of encode() for a token's text: table code points become their bytes; any other
// character (or malformed UTF-8) is copied through unchanged.
std::string decode(std::string_view text);

} // namespace taskquant::tokenize::bytelevel
