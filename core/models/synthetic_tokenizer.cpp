#include "core/models/synthetic_tokenizer.h"

#include <map>
#include <vector>

namespace taskquant::models {

namespace {

// GPT-2's reversible byte -> printable unicode code point mapping.
std::vector<std::string> byteSymbols() {
    std::vector<int> cps(256, -1);
    for (int b = 33; b <= 126; ++b)
        cps[b] = b;
    for (int b = 161; b <= 172; ++b)
        cps[b] = b;
    for (int b = 174; b <= 255; ++b)
        cps[b] = b;
    int next = 256;
    for (int b = 0; b < 256; ++b)
        if (cps[b] < 0)
            cps[b] = next++;
    std::vector<std::string> out;
    for (int cp : cps) {
        std::string s;
        if (cp < 0x80) {
            s += static_cast<char>(cp);
        } else {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        out.push_back(s);
    }
    return out;
}

std::string trainingText() {
    static const char* words[] = {"the",   "a",    "girl",   "boy",  "has",   "apples", "and",
                                  "gives", "of",   "them",   "to",   "her",   "friend", "how",
                                  "many",  "does", "she",    "have", "left",  "answer", "solve",
                                  "for",   "x",    "equals", "plus", "minus", "times",  "story",
                                  "once",  "upon", "time"};
    std::string text;
    uint64_t s = 12345;
    for (int i = 0; i < 3000; ++i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        const auto r = static_cast<unsigned>(s >> 33);
        if (r % 7 == 0)
            text += " " + std::to_string(r % 1000);
        else
            text += std::string(" ") + words[r % (sizeof(words) / sizeof(words[0]))];
        if (r % 13 == 0)
            text += ".";
    }
    return text;
}

} // namespace

nlohmann::json makeByteLevelTokenizer(const std::string& preTokenizer, int merges,
                                      const std::string& bosToken, const std::string& eosToken) {
    using nlohmann::json;
    const auto symbols = byteSymbols();
    // Words of the training text, each a sequence of symbols, with counts.
    std::map<std::vector<std::string>, int> words;
    const std::string text = trainingText();
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = text.find(' ', i + 1);
        if (j == std::string::npos)
            j = text.size();
        std::vector<std::string> w;
        for (std::size_t k = i; k < j; ++k)
            w.push_back(symbols[static_cast<unsigned char>(text[k])]);
        ++words[w];
        i = j;
    }
    json vocab = json::object();
    for (int b = 0; b < 256; ++b)
        vocab[symbols[b]] = b;
    json mergeList = json::array();
    int nextId = 256;
    for (int m = 0; m < merges; ++m) {
        std::map<std::pair<std::string, std::string>, int> pairs;
        for (const auto& [w, n] : words)
            for (std::size_t k = 0; k + 1 < w.size(); ++k)
                pairs[{w[k], w[k + 1]}] += n;
        if (pairs.empty())
            break;
        auto best = pairs.begin();
        for (auto it = pairs.begin(); it != pairs.end(); ++it)
            if (it->second > best->second)
                best = it; // ties: first in lexicographic order
        const auto [a, b] = best->first;
        const std::string merged = a + b;
        if (vocab.contains(merged))
            break;
        vocab[merged] = nextId++;
        mergeList.push_back(a + " " + b);
        std::map<std::vector<std::string>, int> next;
        for (const auto& [w, n] : words) {
            std::vector<std::string> out;
            for (std::size_t k = 0; k < w.size(); ++k) {
                if (k + 1 < w.size() && w[k] == a && w[k + 1] == b) {
                    out.push_back(merged);
                    ++k;
                } else {
                    out.push_back(w[k]);
                }
            }
            next[out] += n;
        }
        words.swap(next);
    }
    const int bosId = nextId++, eosId = nextId++;
    json added = json::array();
    for (auto [id, content] : {std::pair<int, std::string>{bosId, bosToken}, {eosId, eosToken}})
        added.push_back({{"id", id},
                         {"content", content},
                         {"single_word", false},
                         {"lstrip", false},
                         {"rstrip", false},
                         {"normalized", false},
                         {"special", true}});
    json byteLevel = {{"type", "ByteLevel"},
                      {"add_prefix_space", false},
                      {"trim_offsets", true},
                      {"use_regex", true}};
    json pre;
    if (preTokenizer == "gpt2") {
        pre = byteLevel;
    } else {
        const std::string pattern =
            preTokenizer == "qwen2"
                ? R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"
                : R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
        json split = {{"type", "Split"},
                      {"pattern", {{"Regex", pattern}}},
                      {"behavior", "Isolated"},
                      {"invert", false}};
        byteLevel["use_regex"] = false;
        pre = {{"type", "Sequence"}, {"pretokenizers", json::array({split, byteLevel})}};
    }
    return {{"version", "1.0"},
            {"truncation", nullptr},
            {"padding", nullptr},
            {"added_tokens", added},
            {"normalizer", nullptr},
            {"pre_tokenizer", pre},
            {"post_processor", nullptr},
            {"decoder",
             {{"type", "ByteLevel"},
              {"add_prefix_space", true},
              {"trim_offsets", true},
              {"use_regex", true}}},
            {"model",
             {{"type", "BPE"},
              {"dropout", nullptr},
              {"unk_token", nullptr},
              {"continuing_subword_prefix", nullptr},
              {"end_of_word_suffix", nullptr},
              {"fuse_unk", false},
              {"byte_fallback", false},
              {"ignore_merges", false},
              {"vocab", vocab},
              {"merges", mergeList}}}};
}

} // namespace taskquant::models
