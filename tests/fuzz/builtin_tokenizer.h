#pragma once
// Small, valid tokenizer.json files built in code. First: a GPT-2 style byte-level BPE: all 256
// byte tokens, a few merges, one added special token. Used by the bpe_encode fuzz target and as a
// seed of the tokenizer_json corpus (make_corpus.cpp).
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
    for (const auto& m : {std::pair{"Ġ", "t"},
                          {"h", "e"},
                          {"Ġt", "he"},
                          {"i", "n"},
                          {"Ġ", "a"},
                          {"e", "r"},
                          {"o", "n"},
                          {"Ġa", "n"},
                          {"r", "e"},
                          {"Ġthe", "r"}}) {
        merges.push_back(std::string(m.first) + " " + m.second);
        vocab[std::string(m.first) + m.second] = id++;
    }
    json j = {
        {"version", "1.0"},
        {"added_tokens", json::array({{{"id", id},
                                       {"content", "<|endoftext|>"},
                                       {"single_word", false},
                                       {"lstrip", false},
                                       {"rstrip", false},
                                       {"normalized", false},
                                       {"special", true}}})},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "ByteLevel"},
          {"add_prefix_space", false},
          {"trim_offsets", true},
          {"use_regex", true}}},
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
          {"vocab", vocab},
          {"merges", merges}}},
    };
    return j;
}

} // namespace tqfuzz

namespace tqfuzz {

// A small, valid sentencepiece-style tokenizer.json: all 256 "<0xXX>" byte pieces (byte
// fallback), ASCII letters and "▁" pieces with a few merges; normalizer NFKC + Prepend "▁" +
// Replace " " -> "▁"; a Metaspace pre-tokenizer (prepend_scheme "first", split) and the Llama
// decoder chain (Replace, ByteFallback, Fuse, Strip). Added tokens: <unk>, <s> (raw) and a
// normalized [N]. Used by the spm_json_encode fuzz target and as a tokenizer_json seed.
inline nlohmann::json builtinSentencePieceJson() {
    using nlohmann::json;
    const std::string meta = "\xE2\x96\x81";
    json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
    int id = 3;
    static const char* hex = "0123456789ABCDEF";
    for (int b = 0; b < 256; ++b)
        vocab[std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">"] = id++;
    vocab[meta] = id++;
    for (char c = 'a'; c <= 'z'; ++c)
        vocab[std::string(1, c)] = id++;
    json merges = json::array();
    for (const auto& m : {std::pair{meta, std::string("t")},
                          {"h", "e"},
                          {meta + "t", "he"},
                          {"i", "n"},
                          {meta, "a"},
                          {"e", "r"},
                          {meta + "a", "n"},
                          {meta, meta}}) {
        merges.push_back(json::array({m.first, m.second}));
        vocab[m.first + m.second] = id++;
    }
    auto added = [](int i, const char* content, bool special, bool normalized) {
        return json{{"id", i},           {"content", content}, {"single_word", false},
                    {"lstrip", false},   {"rstrip", false},    {"normalized", normalized},
                    {"special", special}};
    };
    return {
        {"version", "1.0"},
        {"added_tokens",
         json::array({added(0, "<unk>", true, false), added(1, "<s>", true, false),
                      added(2, "</s>", true, false), added(id, "[N]", false, true)})},
        {"normalizer",
         {{"type", "Sequence"},
          {"normalizers",
           json::array(
               {{{"type", "NFKC"}},
                {{"type", "Prepend"}, {"prepend", meta}},
                {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", meta}}})}}},
        {"pre_tokenizer",
         {{"type", "Metaspace"},
          {"replacement", meta},
          {"prepend_scheme", "first"},
          {"split", true}}},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single", json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                                  {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
          {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
        {"decoder",
         {{"type", "Sequence"},
          {"decoders",
           json::array({{{"type", "Replace"}, {"pattern", {{"String", meta}}}, {"content", " "}},
                        {{"type", "ByteFallback"}},
                        {{"type", "Fuse"}},
                        {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}},
        {"model",
         {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", "<unk>"},
          {"continuing_subword_prefix", nullptr},
          {"end_of_word_suffix", nullptr},
          {"fuse_unk", true},
          {"byte_fallback", true},
          {"ignore_merges", false},
          {"vocab", vocab},
          {"merges", merges}}},
    };
}

} // namespace tqfuzz
