#include "core/tokenize/added_tokens.h"

#include <algorithm>
#include <cctype>

namespace taskquant::tokenize {
namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Word characters for single_word: ASCII letters, digits, '_' and any non-ASCII byte (letters
// of other scripts).
bool isWordByte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '_';
}

} // namespace

AddedTokens::AddedTokens(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
    for (int i = 0; i < static_cast<int>(tokens_.size()); ++i)
        if (!tokens_[i].content.empty())
            byFirstByte_[static_cast<unsigned char>(tokens_[i].content[0])].push_back(i);
    for (auto& bucket : byFirstByte_)
        std::stable_sort(bucket.begin(), bucket.end(), [&](int a, int b) {
            return tokens_[a].content.size() > tokens_[b].content.size();
        });
}

int AddedTokens::match(std::string_view text, std::size_t i) const {
    for (int k : byFirstByte_[static_cast<unsigned char>(text[i])]) {
        const AddedToken& t = tokens_[k];
        if (text.compare(i, t.content.size(), t.content) != 0)
            continue;
        if (t.singleWord) {
            const std::size_t end = i + t.content.size();
            if ((i > 0 && isWordByte(text[i - 1])) || (end < text.size() && isWordByte(text[end])))
                continue;
        }
        return k;
    }
    return -1;
}

void AddedTokens::split(std::string_view text, std::vector<Part>& out) const {
    if (tokens_.empty()) {
        if (!text.empty())
            out.push_back({text, -1});
        return;
    }
    std::size_t plainStart = 0; // start of the plain text not yet emitted
    std::size_t i = 0;
    while (i < text.size()) {
        const int k = match(text, i);
        if (k < 0) {
            ++i;
            continue;
        }
        const AddedToken& t = tokens_[k];
        std::size_t begin = i, end = i + t.content.size();
        if (t.lstrip)
            while (begin > plainStart && isSpace(text[begin - 1]))
                --begin;
        if (t.rstrip)
            while (end < text.size() && isSpace(text[end]))
                ++end;
        if (begin > plainStart)
            out.push_back({text.substr(plainStart, begin - plainStart), -1});
        out.push_back({text.substr(begin, end - begin), t.id});
        plainStart = i = end;
    }
    if (plainStart < text.size())
        out.push_back({text.substr(plainStart), -1});
}

} // namespace taskquant::tokenize
