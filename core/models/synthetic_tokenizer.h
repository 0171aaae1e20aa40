#pragma once
// A small byte-level BPE tokenizer (Hugging Face tokenizer.json layout, GPT-2 byte mapping)
// learned by plain BPE from text the project writes itself. Deterministic.
#include <nlohmann/json.hpp>
#include <string>

namespace taskquant::models {

// preTokenizer: "gpt2" (ByteLevel), "llama3" or "qwen2" (Split regex + ByteLevel).
// Vocabulary: 256 byte symbols, then `merges` merged symbols, then bos and eos special tokens.
nlohmann::json makeByteLevelTokenizer(const std::string& preTokenizer, int merges,
                                      const std::string& bosToken, const std::string& eosToken);

} // namespace taskquant::models
