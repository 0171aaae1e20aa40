#include "core/tokenize/byte_level.h"

#include <array>

#include "core/util/utf8.h"

namespace taskquant::tokenize::bytelevel {
namespace {

struct Tables {
    std::array<char32_t, 256> toCp{};
    std::array<int, 324> toByte{}; // the table's code points are all below U+0144
    Tables() {
        toByte.fill(-1);
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable =
                (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            toCp[b] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(next++);
            toByte[toCp[b]] = b;
        }
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

} // namespace

char32_t toCodepoint(unsigned char b) {
    return tables().toCp[b];
}

int toByte(char32_t cp) {
    return cp < tables().toByte.size() ? tables().toByte[cp] : -1;
}

std::string encode(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes)
        utf8::append(out, toCodepoint(static_cast<unsigned char>(c)));
    return out;
}

std::string decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8::sequenceLength(text, i);
        if (n == 0) {
            out += text[i++];
            continue;
        }
        const std::size_t start = i;
        const int b = toByte(utf8::decode(text, i));
        if (b >= 0)
            out += static_cast<char>(b);
        else
            out.append(text.substr(start, n));
    }
    return out;
}

} // namespace taskquant::tokenize::bytelevel
