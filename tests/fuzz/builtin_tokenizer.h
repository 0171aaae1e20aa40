#pragma once
// A small, valid GPT-2 style byte-level BPE tokenizer.json built in code: all 256 byte tokens,
// a few merges, one added special token. Used by the bpe_encode fuzz target and as a seed of
// the tokenizer_json corpus (make_corpus.cpp).
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/tokenize/byte_level.h"

namespace tqfuzz {

inline nlohmann::json builtinTokenizerJson() {
    using nlohmann::json;
    json vocab = json::object();
    int id = 0;
    for (int b = 0; b < 256; ++b) {
        const std::string piece = taskquant::tokenize::bytelevel::encode(std::string(1, char(b)));
        vocab[piece] = id++;
    }
    json merges = json::array();
    for (const auto& m : {std::pair{"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"i", "n"}, {"Ġ", "a"},
                          {"e", "r"}, {"o", "n"}, {"Ġa", "n"}, {"r", "e"}, {"Ġthe", "r"}}) {
        merges.push_back(std::string(m.first) + " " + m.second);
        vocab[std::string(m.first) + m.second] = id++;
    }
    json j = {
        {"version", "1.0"},
        {"added_tokens", json::array({{{"id", id}, {"content", "<|endoftext|>"}, {"single_word", false},
                                       {"lstrip", false}, {"rstrip", false}, {"normalized", false},
                                       {"special", true}}})},
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true},
                           {"use_regex", true}}},
        {"post_processor", nullptr},
        {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true},
                     {"use_regex", true}}},
        {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr},
                   {"continuing_subword_prefix", nullptr}, {"end_of_word_suffix", nullptr},
                   {"fuse_unk", false}, {"byte_fallback", false}, {"vocab", vocab}, {"merges", merges}}},
    };
    return j;
}

} // namespace tqfuzz
