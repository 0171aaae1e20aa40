#pragma once
// What a model directory's tokenizer_config.json and special_tokens_map.json say about the
// special tokens: bos/eos/pad/unk token texts and whether encoding adds BOS / EOS. A token is
// given as a string, as {"content": string, ...}, or null (= none); tokenizer_config.json wins
// over special_tokens_map.json. Both files are optional; a present but malformed one throws
// Error naming it. Value type, thread-safe.
#include <optional>
#include <string>

namespace taskquant::tokenize {

struct SpecialTokensConfig {
    // nullopt: not mentioned by either file; "" never occurs (an explicit null gives nullopt
    // too, with the matching *Null flag set).
    std::optional<std::string> bos, eos, pad, unk;
    bool bosNull = false, eosNull = false, padNull = false, unkNull = false;
    std::optional<bool> addBos, addEos; // add_bos_token / add_eos_token, nullopt when absent
    std::string configPath;             // tokenizer_config.json if it exists, else ""

    static SpecialTokensConfig read(const std::string& directory);
};

} // namespace taskquant::tokenize
